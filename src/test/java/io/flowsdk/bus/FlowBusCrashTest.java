package io.flowsdk.bus;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.testing.BusNodeProcess;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.bus.FlowBusTest.msg;
import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes that fail: one in a separate process killed with {@code kill -9} in the middle of traffic
 * (it never leaves the cluster, so the survivors must repair its routes), and one that closes with a
 * retry still waiting.
 */
class FlowBusCrashTest {

  private static final int MESSAGES = 300;
  private static final String ROUTE_MAP = "flowsdk.routes";

  private final List<Vertx> nodes = new ArrayList<>();
  private Process victim;

  @AfterEach
  void stop() throws Exception {
    if (victim != null) {
      victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (Vertx vertx : nodes) {
      join(vertx.close());
    }
  }

  @Test
  void givenNodeKilledMidTraffic_thenRoutesRepairedQos1EndsTypedAndQos2DeliveredOnce() throws Exception {
    TestCluster cluster = new TestCluster();
    FlowBusOptions options = new FlowBusOptions().setAckTimeoutMillis(1000).setTransitTimeoutMillis(500)
      .setMaxRetries(1).setRetryBackoffMillis(100);
    FlowBus a = startNode(cluster, options);
    FlowBus b = startNode(cluster, options);
    List<String> onB = new CopyOnWriteArrayList<>();
    join(b.subscribe(new SubscriptionOptions().setFilter("crash/b/#"), m -> {
      onB.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    Set<String> gotOnC = ConcurrentHashMap.newKeySet();
    CompletableFuture<String> cReady = new CompletableFuture<>();
    victim = startVictim(cluster.name(), "crash/c/#", gotOnC, cReady);
    String c = cReady.get(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> join(a.routeOf("crash/c/1")).equals(Set.of(c))
      && join(a.routeOf("crash/b/1")).equals(Set.of(b.nodeId())));

    List<Future<PublishResult>> toC = new ArrayList<>();
    List<Future<PublishResult>> toB = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      if (i == MESSAGES / 3) {
        Future.join(toC.subList(0, MESSAGES / 6)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        victim.destroyForcibly();
      }
      toC.add(a.publish(msg("crash/c/" + i, "c" + i, QoS.AT_LEAST_ONCE)));
      toB.add(a.publish(msg("crash/b/" + i, "b" + i, QoS.EXACTLY_ONCE)));
      if (i % 20 == 19) {
        Future.join(toB.subList(i - 19, i + 1)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }

    // no QoS 1 publish hangs: each ends, delivered or failed with a typed error saying why
    Future.join(toC).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < MESSAGES; i++) {
      Future<PublishResult> f = toC.get(i);
      assertTrue(f.isComplete(), "publish " + i + " to the killed node hangs");
      if (f.succeeded() && !f.result().noSubscribers()) {
        assertTrue(gotOnC.contains("c" + i), "publish " + i + " reported delivered but the killed node never had it");
      } else if (f.failed()) {
        FlowError error = ((FlowException) f.cause()).error();
        assertTrue(error == FlowError.DISCONNECTED || error == FlowError.TIMEOUT, "publish " + i + " failed with " + f.cause());
      }
    }

    // routes repaired: the oldest member deleted the dead node's entries, both survivors forgot them
    HazelcastInstance hazelcast = ClusterNodes.hazelcast(nodes.get(0));
    await().atMost(Duration.ofSeconds(30)).until(() -> hazelcast.getMap(ROUTE_MAP).keySet().stream()
      .noneMatch(k -> k.toString().startsWith(c)));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(a.routeOf("crash/c/1")).isEmpty() && join(b.routeOf("crash/c/1")).isEmpty());
    assertTrue(join(a.publish(msg("crash/c/after", "x", QoS.AT_LEAST_ONCE))).noSubscribers());

    // QoS 2 to the surviving node: every message exactly once
    for (Future<PublishResult> f : toB) {
      assertEquals(1, join(f).subscribers());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      expected.add("b" + i);
    }
    assertEquals(expected, onB);
  }

  @Test
  void givenRetryWaitingForItsBackoff_whenBusCloses_thenThePublishFailsCancelledAtOnce() throws Exception {
    TestCluster cluster = new TestCluster();
    FlowBusOptions options = new FlowBusOptions().setAckTimeoutMillis(300).setTransitTimeoutMillis(200)
      .setRetryBackoffMillis(60_000).setRetryJitter(0);
    FlowBus a = startNode(cluster, options);
    FlowBus b = startNode(cluster, options);
    join(b.subscribe("retry/on/close", m -> { }));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(a.routeOf("retry/on/close")).equals(Set.of(b.nodeId())));
    nodes.get(0).eventBus().addInboundInterceptor(ctx -> {
      if (!(ctx.message().body() instanceof Integer)) {
        ctx.next(); // every answer from b is lost on its way back
      }
    });
    Counter retried = FlowMetrics.registry(nodes.get(0)).get("flowsdk.bus.retried").counter();

    Future<PublishResult> publish = a.publish(msg("retry/on/close", "x", QoS.AT_LEAST_ONCE));
    await().atMost(Duration.ofSeconds(10)).until(() -> retried.count() == 1);
    long closing = System.nanoTime();
    join(a.close());

    FlowException e = failure(publish);
    assertEquals(FlowError.CANCELLED, e.error());
    assertEquals("the flow bus closed before a QoS 1/2 delivery could be sent again", e.getMessage());
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closing) < 10, "failed at close, not at the 60 s retry");
  }

  private FlowBus startNode(TestCluster cluster, FlowBusOptions options) throws Exception {
    Vertx vertx = join(cluster.startNode());
    nodes.add(vertx);
    return join(FlowBus.create(vertx, options));
  }

  /** Starts {@link BusNodeProcess} on the test class path; its lines feed {@code got} and {@code ready}. */
  private static Process startVictim(String clusterName, String filter, Set<String> got, CompletableFuture<String> ready) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false",
      "-cp", System.getProperty("java.class.path"), BusNodeProcess.class.getName(), clusterName, filter)
      .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            ready.complete(line.substring(6));
          } else if (line.startsWith("GOT ")) {
            got.add(line.substring(4));
          }
        }
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("the node process ended before it was ready"));
    }, "victim-output");
    reader.setDaemon(true);
    reader.start();
    return p;
  }
}
