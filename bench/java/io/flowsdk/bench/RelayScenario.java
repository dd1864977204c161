package io.flowsdk.bench;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.relay.RelayEdgeVerticle;
import io.flowsdk.relay.UpstreamAddressOptions;
import io.flowsdk.relay.RelayUpstreamOptions;
import io.flowsdk.relay.RelayUpstreamVerticle;
import io.flowsdk.testing.IdleMqttClients;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import static io.flowsdk.bench.MqttClientScenario.await;

/**
 * The protocol relay: FlowSDK's MqttClient (publisher and subscriber, MQTT 5) through edge → upstream →
 * Mosquitto beside the same client talking to the same Mosquitto directly, in the same run. For QoS 0 and
 * 1: throughput and latency with {@code window} messages in flight (each path measured twice, in opposite
 * orders, the better run kept), then latency at a fixed {@code bench.relay.rate} (default 1,000) messages
 * per second for {@code bench.relay.paced} (default 10,000) messages. Last, the heap one idle relayed
 * session costs (edge and upstream together) at {@code bench.relay.sessions} (default 1,000) sessions: the
 * heap after GC with that many bare MQTT connections through the relay, less the same through no relay,
 * so the clients' own cost cancels out. Edge and upstream run in a Vert.x instance of their own, in this JVM;
 * the CPU columns include them.
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
    Vertx relay = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    List<MqttClientScenario.Lib> libs = new ArrayList<>();
    try {
      int edgePort = startRelay(relay, broker);
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
        results.addAll(bestOfTwoRounds(pair, lib -> MqttClientScenario.measure(config, broker, lib, group, warmed.add(lib)), true));
        String paced = "MQTT QoS " + qos.value() + " relayed, " + String.format(Locale.ROOT, "%,d", RATE) + " msg/s";
        results.addAll(bestOfTwoRounds(pair, lib -> paced(config, lib, paced), false));
      }
      heapPerIdleSession(clients, broker, edgePort);
      return results;
    } finally {
      for (MqttClientScenario.Lib lib : libs) {
        lib.close();
      }
      await(clients.close());
      await(relay.close());
      broker.stop();
    }
  }

  private static int startRelay(Vertx vertx, MosquittoBroker broker) throws Exception {
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    await(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(new RelayUpstreamOptions().setPort(0)
      .setBrokerHost(broker.host()).setBrokerPort(broker.port()).toJson())));
    RelayEdgeVerticle edge = new RelayEdgeVerticle();
    await(vertx.deployVerticle(edge, new DeploymentOptions().setConfig(new RelayEdgeOptions()
      .setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setUpstreams(List.of(new UpstreamAddressOptions("127.0.0.1", upstream.actualPort()))).toJson())));
    return edge.actualPort();
  }

  /** Direct, relayed, relayed, direct; of each path's two runs the one with more throughput (or, paced, the lower p99). */
  private static List<BenchResult> bestOfTwoRounds(List<MqttClientScenario.Lib> pair, Measure measure, boolean byThroughput)
    throws Exception {
    BenchResult[] best = new BenchResult[2];
    for (int i : new int[] {0, 1, 1, 0}) {
      BenchResult r = measure.apply(pair.get(i));
      boolean better = best[i] == null || (byThroughput ? r.throughput() > best[i].throughput() : r.p99Micros < best[i].p99Micros);
      if (better) {
        best[i] = r;
      }
    }
    return List.of(asBaseline(best[0]), best[1]);
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

  /**
   * Prints the heap per idle relayed session: used heap after GC with {@link #IDLE_SESSIONS} bare MQTT
   * connections open, above the heap before they opened, through the relay less directly to Mosquitto.
   */
  private static void heapPerIdleSession(Vertx clients, MosquittoBroker broker, int edgePort) throws Exception {
    long direct = heapOf(clients, IDLE_SESSIONS, c -> IdleMqttClients.open(c, broker.host(), broker.port(), "idle-direct-",
      IDLE_SESSIONS, 50));
    long relayed = heapOf(clients, IDLE_SESSIONS, c -> IdleMqttClients.open(c, "127.0.0.1", edgePort, "idle-relayed-",
      IDLE_SESSIONS, 50));
    System.out.printf(Locale.ROOT, "  heap after GC for %,d idle sessions: direct %,d B, relayed %,d B; per relayed session "
      + "(edge + upstream) %,d B%n", IDLE_SESSIONS, direct, relayed, (relayed - direct) / IDLE_SESSIONS);
  }

  /** Used heap after GC with the connections open, less before they opened. */
  private static long heapOf(Vertx vertx, int count, Function<Vertx, Future<IdleMqttClients>> open) throws Exception {
    long before = usedHeapAfterGc();
    IdleMqttClients idle = await(open.apply(vertx));
    try {
      if (idle.size() != count) {
        throw new IllegalStateException("opened " + idle.size() + " of " + count + " idle sessions");
      }
      return usedHeapAfterGc() - before;
    } finally {
      await(idle.close());
    }
  }

  /** Heap in use after three full collections (one can leave what a finalizer or a reference queue frees next). */
  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @FunctionalInterface
  private interface Measure {
    BenchResult apply(MqttClientScenario.Lib lib) throws Exception;
  }
}
