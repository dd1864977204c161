package io.flowsdk.relay;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.testing.FreePorts;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.IdleMqttClients;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 concurrent MQTT sessions (system property {@code relay.soak.sessions}) through one relay pair
 * (edge → upstream → our broker, one JVM), then all closed: both sides' session gauges (one stream per
 * session) count every one while open and are back at zero after, and the heap after a full GC is back
 * within half of what the open sessions took of its baseline. The margin is relative because the sessions'
 * cost is measured in the same run: a leak of half the sessions, or of half of each one's state, fails,
 * while the few MB a JIT, a pool or a metrics meter keep after a round do not.
 */
class RelaySoakTest {

  private static final int SESSIONS = Integer.getInteger("relay.soak.sessions", 1_000);
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Futures.join(vertx.close());
  }

  private double sessions(String side) {
    return FlowMetrics.registry(vertx).get(RelayMetrics.SESSIONS).tag("side", side).gauge().value();
  }

  /** Used heap after System.gc(), repeated (at most 20 times) until two readings are within 256 KiB. */
  private static long settledHeap() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 256 * 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  /** Opens the sessions, checks both gauges count them, closes them, waits for both gauges at zero; the heap while open. */
  private long round(int edgePort, String idPrefix) throws Exception {
    IdleMqttClients clients = IdleMqttClients.open(vertx, "127.0.0.1", edgePort, idPrefix, SESSIONS, 50)
      .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    try {
      assertEquals(SESSIONS, clients.size());
      assertEquals(SESSIONS, sessions("edge"));
      assertEquals(SESSIONS, sessions("upstream"));
      return settledHeap();
    } finally {
      Futures.join(clients.close());
      await().atMost(Duration.ofSeconds(60)).until(() -> sessions("edge") == 0.0 && sessions("upstream") == 0.0);
    }
  }

  @Test
  void given1000ConcurrentSessionsThroughOneRelayPair_whenAllClose_thenNoSessionIsLeftAndTheHeapIsBackAtItsBaseline()
    throws Exception {
    int brokerPort = FreePorts.loopback();
    Futures.join(vertx.deployVerticle(new MqttBrokerVerticle(), new DeploymentOptions().setConfig(
      new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(brokerPort))).toJson())));
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    Futures.join(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(new RelayUpstreamOptions().setPort(0)
      .setBrokerHost("127.0.0.1").setBrokerPort(brokerPort).toJson())));
    RelayEdgeVerticle edge = new RelayEdgeVerticle();
    Futures.join(vertx.deployVerticle(edge, new DeploymentOptions().setConfig(RelayTestOptions.edge(upstream.actualPort())
      .toJson())));
    round(edge.actualPort(), "soak-warm-"); // classes, pools and meters in place before the baseline

    long baseline = settledHeap();
    long open = round(edge.actualPort(), "soak-") - baseline;
    long after = settledHeap() - baseline;

    String measured = String.format("heap over the baseline of %,d bytes: %,d with %d sessions open, %,d after they closed",
      baseline, open, SESSIONS, after);
    System.out.println("RelaySoakTest: " + measured);
    assertTrue(open > 0, measured);
    assertTrue(after <= open / 2, measured);
  }
}
