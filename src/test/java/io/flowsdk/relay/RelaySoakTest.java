package io.flowsdk.relay;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.IdleMqttClients;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 concurrent MQTT sessions (system property {@code relay.soak.sessions}) through one relay pair
 * (edge → upstream → our broker, one JVM), then all closed: both sides' session gauges (one stream per
 * session) count every one while open and are back at zero after, and no per-session object outlives its
 * session. The last is read from the JVM's class histogram (live instances per class after a full GC, what
 * {@code jcmd GC.class_histogram} prints), not from the heap's used bytes: those move by tens of MB between
 * two full GCs of the same live set, while a leak of per-session objects shows as a class of ours, of Vert.x
 * or of a Netty channel that gained at least one instance per session while they were open and kept half of
 * them after they closed.
 */
class RelaySoakTest {

  private static final int SESSIONS = Integer.getInteger("relay.soak.sessions", 1_000);
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
  /** Packages whose classes are not pooled, so a live count above the baseline is held by someone. */
  private static final List<String> UNPOOLED = List.of("io.flowsdk.", "io.vertx.", "io.netty.channel.",
    "io.netty.handler.codec.http2.");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Futures.join(vertx.close());
  }

  /** Live instances of each class of {@link #UNPOOLED}, after the full GC the histogram starts with. */
  private static Map<String, Long> liveInstances() throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
      new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
      new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, Long> counts = new HashMap<>();
    histogram.lines().map(HISTOGRAM_LINE::matcher).filter(Matcher::find)
      .filter(line -> UNPOOLED.stream().anyMatch(line.group(2)::startsWith))
      .forEach(line -> counts.put(line.group(2), Long.parseLong(line.group(1))));
    return counts;
  }

  private static long gained(Map<String, Long> from, Map<String, Long> to, String type) {
    return to.getOrDefault(type, 0L) - from.getOrDefault(type, 0L);
  }

  /** Opens the sessions, checks both gauges count them, closes them, waits for both gauges at zero; the counts while open. */
  private Map<String, Long> round(int edgePort, String idPrefix) throws Exception {
    IdleMqttClients clients = IdleMqttClients.open(vertx, "127.0.0.1", edgePort, idPrefix, SESSIONS, 50)
      .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    try {
      assertEquals(SESSIONS, clients.size());
      assertEquals(SESSIONS, RelayFixture.sessions(vertx, "edge"));
      assertEquals(SESSIONS, RelayFixture.sessions(vertx, "upstream"));
      return liveInstances();
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

    Map<String, Long> baseline = liveInstances();
    Map<String, Long> open = round(edge.actualPort(), "soak-");
    Map<String, Long> after = liveInstances();

    List<String> perSession = open.keySet().stream().filter(type -> gained(baseline, open, type) >= SESSIONS).sorted().toList();
    // a class with several instances per session (a pipeline's handler contexts) is judged by its own gain
    List<String> leaked = perSession.stream().filter(type -> gained(baseline, after, type) >= gained(baseline, open, type) / 2)
      .map(type -> type + " +" + gained(baseline, after, type)).limit(20).toList();
    System.out.println("RelaySoakTest: " + perSession.size() + " classes with an instance per session, left after close: " + leaked);
    assertTrue(perSession.stream().anyMatch(type -> type.startsWith("io.flowsdk.relay.")),
      "no relay class has an instance per open session: " + perSession);
    assertEquals(List.of(), leaked, "instances above the baseline after every session closed");
  }
}
