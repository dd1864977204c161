package io.flowsdk.bench;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.testing.TestCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Our broker in a process of its own for the broker benchmark, as a node deploys it (one verticle,
 * one event loop): {@code BrokerBenchNode <cluster name or -> <MqttBrokerOptions JSON>}. Prints
 * {@code READY <port>...} (one per listener), answers each {@code MEM} line on stdin with
 * {@code MEM <heap bytes after GC> <direct bytes>}, each {@code DROPS} line with {@code DROPS} and
 * every non-zero drop counter of the bus and the broker and the broker's PUBLISH packets received and sent
 * ({@code name{tags}=count}; with the sent ones, a loss no drop counter shows is placed on the broker's or the
 * load generator's side of the socket), and exits when stdin closes, so it never outlives the benchmark.
 */
public final class BrokerBenchNode {

  private BrokerBenchNode() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = args[0].equals("-") ? Vertx.vertx() : await(new TestCluster(args[0]).startNode());
    MqttBrokerOptions options = new MqttBrokerOptions(new JsonObject(args[1]));
    AtomicReference<MqttBroker> broker = new AtomicReference<>();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MqttBroker.create(vertx, options).onSuccess(broker::set);
      }
    }));
    answerUntilEndOfInput(vertx, broker.get().ports());
  }

  /**
   * Prints {@code READY <ports>}, answers {@code MEM} and {@code DROPS} lines on stdin as the class comment
   * says, and exits when stdin closes: the command loop of every bench node.
   */
  static void answerUntilEndOfInput(Vertx vertx, List<Integer> ports) throws IOException {
    System.out.println("READY " + ports.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    System.out.flush();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      if (line.equals("MEM")) {
        System.out.println("MEM " + heapAfterGc() + " " + directBytes());
        System.out.flush();
      } else if (line.equals("DROPS")) {
        System.out.println("DROPS " + drops(FlowMetrics.registry(vertx)));
        System.out.flush();
      }
    }
    System.exit(0);
  }

  private static String drops(MeterRegistry registry) {
    return registry.getMeters().stream().filter(m -> m instanceof Counter && isDropOrPacketCount(m.getId().getName()))
      .filter(m -> ((Counter) m).count() > 0)
      .map(m -> m.getId().getName() + m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
        .collect(Collectors.joining(",", "{", "}")) + "=" + (long) ((Counter) m).count())
      .collect(Collectors.joining(" "));
  }

  private static boolean isDropOrPacketCount(String name) {
    return name.contains("dropped") || name.equals("flowsdk_mqtt_broker_received_total")
      || name.equals("flowsdk_mqtt_broker_sent_total");
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** NIO direct buffers plus what Netty allocated without a cleaner (it counts those itself, else reports -1). */
  private static long directBytes() {
    long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
      .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    return nio + Math.max(0, PlatformDependent.usedDirectMemory());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
