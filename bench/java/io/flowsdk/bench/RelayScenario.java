package io.flowsdk.bench;

import io.flowsdk.bus.QoS;
import io.flowsdk.testing.IdleMqttClients;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.flowsdk.bench.MqttClientScenario.await;

/**
 * The protocol relay: FlowSDK's MqttClient (publisher and subscriber, MQTT 5) through edge → upstream →
 * Mosquitto beside the same client talking to the same Mosquitto directly, in the same run. For QoS 0 and
 * 1: throughput and latency with {@code window} messages in flight (each path measured twice, in opposite
 * orders, the better run kept), then latency at a fixed {@code bench.relay.rate} (default 1,000) messages
 * per second for {@code bench.relay.paced} (default 10,000) messages. Last, the heap one idle relayed
 * session costs (edge and upstream together) at {@code bench.relay.sessions} (default 1,000) sessions: the
 * relay's heap after GC with that many bare MQTT connections through it, less before they opened. Edge and
 * upstream run in a JVM of their own ({@link RelayBenchNode}), so the clients' garbage and pauses are not
 * theirs; a relayed row's CPU is this JVM's, Mosquitto's and the relay's.
 */
public final class RelayScenario implements Scenario {

  private static final int RATE = Integer.getInteger("bench.relay.rate", 1_000);
  private static final int PACED_MESSAGES = Integer.getInteger("bench.relay.paced", 10_000);
  private static final int IDLE_SESSIONS = Integer.getInteger("bench.relay.sessions", 1_000);

  @Override
  public String name() {
    return "relay";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    MosquittoBroker broker = MqttClientScenario.startBroker(config);
    Vertx clients = Vertx.vertx();
    List<MqttClientScenario.Lib> libs = new ArrayList<>();
    JavaProcess relay = JavaProcess.start(List.of("-Xmx1g"), JavaProcess.benchClasspath(), RelayBenchNode.class.getName(),
      broker.host(), String.valueOf(broker.port()));
    try {
      int edgePort = Integer.parseInt(relay.ready.get(0));
      List<BenchResult> results = new ArrayList<>();
      for (String q : System.getProperty("bench.relay.qos", "0,1").split(",")) {
        QoS qos = QoS.of(Integer.parseInt(q.trim()));
        MqttClientScenario.Lib direct = new MqttClientScenario.Ours("direct to Mosquitto", clients, broker.host(),
          broker.port(), config, qos);
        libs.add(direct);
        MqttClientScenario.Lib relayed = new MqttClientScenario.Ours("edge → upstream → Mosquitto", clients, "127.0.0.1",
          edgePort, config, qos);
        libs.add(relayed);
        List<MqttClientScenario.Lib> pair = List.of(direct, relayed);
        String group = "MQTT QoS " + qos.value() + " relayed";
        Set<MqttClientScenario.Lib> warmed = new HashSet<>();
        results.addAll(bestOfTwoRounds(pair, relay, lib -> MqttClientScenario.measure(config, broker, lib, group, warmed.add(lib)), true));
        String paced = "MQTT QoS " + qos.value() + " relayed, " + String.format(Locale.ROOT, "%,d", RATE) + " msg/s";
        results.addAll(bestOfTwoRounds(pair, relay, lib -> paced(config, lib, paced), false));
      }
      heapPerIdleSession(clients, relay, edgePort);
      return results;
    } finally {
      for (MqttClientScenario.Lib lib : libs) {
        lib.close();
      }
      await(clients.close());
      relay.close();
      broker.stop();
    }
  }

  /**
   * Direct, relayed, relayed, direct; of each path's two runs the one with more throughput (or, paced, the
   * lower p99). The relayed runs' CPU includes the relay's process.
   */
  private static List<BenchResult> bestOfTwoRounds(List<MqttClientScenario.Lib> pair, JavaProcess relay, Measure measure,
                                                   boolean byThroughput) throws Exception {
    BenchResult[] best = new BenchResult[2];
    for (int i : new int[] {0, 1, 1, 0}) {
      double relayCpu = CpuClock.process(relay.pid());
      BenchResult r = measure.apply(pair.get(i));
      if (i == 1) {
        r = withRelayCpu(r, CpuClock.process(relay.pid()) - relayCpu);
      }
      boolean better = best[i] == null || (byThroughput ? r.throughput() > best[i].throughput() : r.p99Micros < best[i].p99Micros);
      if (better) {
        best[i] = r;
      }
    }
    return List.of(asBaseline(best[0]), best[1]);
  }

  private static BenchResult withRelayCpu(BenchResult r, double relayCpu) {
    String subject = String.format(Locale.ROOT, "%s (+ relay %.1f s CPU)", r.subject, relayCpu);
    return new BenchResult(r.group, subject, r.baseline, r.messages, r.seconds, r.p50Micros, r.p99Micros, r.cpuSeconds + relayCpu);
  }

  private static BenchResult asBaseline(BenchResult r) {
    return new BenchResult(r.group, r.subject, true, r.messages, r.seconds, r.p50Micros, r.p99Micros, r.cpuSeconds);
  }

  private static BenchResult paced(BenchConfig config, MqttClientScenario.Lib lib, String group) throws Exception {
    BenchResult r = MqttClientScenario.awaitRun(lib, "paced run", lib.pipe.runPaced(lib.context, group, lib.name, false,
      PACED_MESSAGES, RATE, config.payloadBytes));
    System.out.printf("  %-44s %-60s p50 %8.0f µs  p99 %8.0f µs%n", group, lib.name, r.p50Micros, r.p99Micros);
    return r;
  }

  /** Prints the relay's heap per idle session: its heap after GC with {@link #IDLE_SESSIONS} bare MQTT connections open, less before. */
  private static void heapPerIdleSession(Vertx clients, JavaProcess relay, int edgePort) throws Exception {
    long before = Long.parseLong(relay.ask("MEM").get(0));
    IdleMqttClients idle = await(IdleMqttClients.open(clients, "127.0.0.1", edgePort, "idle-relayed-", IDLE_SESSIONS, 50));
    try {
      if (idle.size() != IDLE_SESSIONS) {
        throw new IllegalStateException("opened " + idle.size() + " of " + IDLE_SESSIONS + " idle sessions");
      }
      long during = Long.parseLong(relay.ask("MEM").get(0));
      System.out.printf(Locale.ROOT, "  relay heap after GC: %,d B before, %,d B with %,d idle sessions; per relayed session "
        + "(edge + upstream) %,d B%n", before, during, IDLE_SESSIONS, (during - before) / IDLE_SESSIONS);
    } finally {
      await(idle.close());
    }
  }

  @FunctionalInterface
  private interface Measure {
    BenchResult apply(MqttClientScenario.Lib lib) throws Exception;
  }
}
