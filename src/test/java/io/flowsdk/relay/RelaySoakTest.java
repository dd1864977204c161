package io.flowsdk.relay;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.IdleMqttClients;
import io.flowsdk.testing.LiveInstances;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 concurrent MQTT sessions (system property {@code relay.soak.sessions}) through one relay pair
 * (edge → upstream → our broker, one JVM), then all closed: both sides' session gauges (one stream per
 * session) count every one while open and are back at zero after, and no per-session object outlives its
 * session. The last is read as {@link LiveInstances}: a leak of per-session objects shows as a class of ours, of
 * Vert.x or of a Netty channel that gained at least one instance per session while they were open and kept half
 * of them after they closed.
 */
class RelaySoakTest {

  private static final int SESSIONS = Integer.getInteger("relay.soak.sessions", 1_000);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Futures.join(vertx.close());
  }

  /** Opens the sessions, checks both gauges count them, closes them, waits for both gauges at zero; the counts while open. */
  private LiveInstances round(int edgePort, String idPrefix) throws Exception {
    IdleMqttClients clients = IdleMqttClients.open(vertx, "127.0.0.1", edgePort, idPrefix, SESSIONS, 50)
      .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    try {
      assertEquals(SESSIONS, clients.size());
      assertEquals(SESSIONS, RelayFixture.sessions(vertx, "edge"));
      assertEquals(SESSIONS, RelayFixture.sessions(vertx, "upstream"));
      return LiveInstances.now();
    } finally {
      Futures.join(clients.close());
      // the broker's connections close a moment after the upstream's sessions: their channels must be gone too
      await().atMost(Duration.ofSeconds(60))
        .until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && RelayFixture.sessions(vertx, "upstream") == 0.0
          && FlowMetrics.registry(vertx).get("flowsdk_mqtt_broker_connections").gauge().value() == 0.0);
    }
  }

  @Test
  void given1000ConcurrentSessionsThroughOneRelayPair_whenAllClose_thenNoSessionIsLeftAndNoPerSessionObjectOutlivesIt()
    throws Exception {
    int brokerPort = RelayFixture.deployOurBroker(vertx);
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(brokerPort));
    RelayEdgeVerticle edge = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort()));
    round(edge.actualPort(), "soak-warm-"); // classes, pools and meters in place before the baseline

    LiveInstances baseline = LiveInstances.now();
    LiveInstances open = round(edge.actualPort(), "soak-");
    LiveInstances after = LiveInstances.now();

    List<String> perSession = open.gainingAtLeast(baseline, SESSIONS);
    // a class with several instances per session (a pipeline's handler contexts) is judged by its own gain
    List<String> leaked = perSession.stream().filter(type -> after.gainedSince(baseline, type) >= open.gainedSince(baseline, type) / 2)
      .map(type -> type + " +" + after.gainedSince(baseline, type)).limit(20).toList();
    System.out.println("RelaySoakTest: " + perSession.size() + " classes with an instance per session, left after close: " + leaked);
    assertTrue(perSession.stream().anyMatch(type -> type.startsWith("io.flowsdk.relay.")),
      "no relay class has an instance per open session: " + perSession);
    assertEquals(List.of(), leaked, "instances above the baseline after every session closed");
  }
}
