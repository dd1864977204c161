package io.flowsdk.relay;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.testing.IdleMqttClients;
import io.flowsdk.testing.LiveInstances;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: a live relay edge (edge → upstream → our broker, one JVM). A client connects (MQTT 5 or 3.1.1, by
 * the first byte) and sends any bytes, which the edge decodes into its session and maps to the relay protobuf;
 * whatever they are, nothing escapes onto an event loop, the next client is served through the relay, and once
 * both are gone neither relay side carries a session nor the broker a connection. At the end of the run no class
 * with instances per session (found by opening {@link #WARM_UP_SESSIONS} in the warm-up) has as many live instances
 * above the baseline taken after the warm-up as one session holds (docs/protocol-testing.md).
 */
class RelayEdgeFuzzTest {

  /** CONNECT, MQTT 5, clean start, keep-alive 60, no properties, client id "f". */
  private static final byte[] CONNECT_V5 = {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 1, 'f'};
  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60, client id "f". */
  private static final byte[] CONNECT_V311 = {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 1, 'f'};
  /** CONNECT, MQTT 5, client id "probe". */
  private static final byte[] PROBE = {0x10, 18, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 5, 'p', 'r', 'o', 'b', 'e'};
  /** CONNECT, MQTT 3.1.1, client id "probe". */
  private static final byte[] PROBE_V311 = {0x10, 17, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 5, 'p', 'r', 'o', 'b', 'e'};

  private static final int WARM_UP_SESSIONS = 20;

  private static final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private static Vertx vertx;
  private static int edgePort;
  private static Set<Integer> ports;
  /** Each class with at least one live instance per session through the relay, and how many one session holds. */
  private static Map<String, Long> perSession;
  private static LiveInstances baseline;

  @BeforeAll
  static void startRelay() throws Exception {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(escaped::add);
    int brokerPort = RelayFixture.deployOurBroker(vertx);
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(brokerPort));
    RelayEdgeVerticle edge = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort()));
    edgePort = edge.actualPort();
    ports = Set.of(brokerPort, upstream.actualPort(), edgePort);
    // the first sessions open the edge's HTTP/2 connection and load each protocol version's protobuf classes: cold
    // and instrumented, that can take longer than a probe waits (before the first input Jazzer's SSRF detector is
    // not yet in place)
    assertNextClientServed();
    assertServed(PROBE_V311);
    LiveInstances idle = LiveInstances.now();
    IdleMqttClients clients = join(IdleMqttClients.open(vertx, "127.0.0.1", edgePort, "warm-up-", WARM_UP_SESSIONS, WARM_UP_SESSIONS));
    try {
      perSession = LiveInstances.now().perUnit(idle, WARM_UP_SESSIONS);
      // entries of the edge's HTTP/2 connection's HPACK table: the recent streams' headers, bounded by the table size
      perSession.keySet().removeIf(type -> type.startsWith("io.netty.handler.codec.http2.Hpack"));
    } finally {
      join(clients.close());
    }
    awaitNoSessionOrBrokerConnection();
    baseline = LiveInstances.now();
  }

  @AfterAll
  static void stopRelay() throws Exception {
    try {
      LiveInstances.assertNoneHeldAbove(baseline, perSession,
        "per-session instances above the baseline after the run, every session closed");
    } finally {
      join(vertx.close());
    }
  }

  private static void awaitNoSessionOrBrokerConnection() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).untilAsserted(() -> {
      assertEquals(0.0, RelayFixture.sessions(vertx, "edge"), "the edge's sessions");
      assertEquals(0.0, RelayFixture.sessions(vertx, "upstream"), "the upstream's sessions");
      assertEquals(0.0, FlowMetrics.registry(vertx).get("flowsdk_mqtt_broker_connections").gauge().value(),
        "the broker's open connections");
    });
  }

  @FuzzTest
  void givenAClientOfTheEdge_whenAnyBytesFollowItsConnect_thenNothingEscapesTheNextClientIsServedAndNoSessionIsLeft(byte[] data)
    throws IOException {
    boolean v5 = data.length == 0 || (data[0] & 1) == 1;
    // Jazzer's SSRF detector flags every socket, the relay's own included: these go to its three ports on loopback
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> ports.contains(port)
      && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      try (Socket fuzzed = new Socket("127.0.0.1", edgePort)) {
        OutputStream out = fuzzed.getOutputStream();
        out.write(v5 ? CONNECT_V5 : CONNECT_V311);
        out.write(data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length));
        out.flush();
      }
      assertNextClientServed();
    }
    awaitNoSessionOrBrokerConnection();
    assertEquals(List.of(), escaped, () -> "nothing escaped onto an event loop; the first: " + stackOf(escaped.get(0)));
  }

  private static void assertNextClientServed() throws IOException {
    assertServed(PROBE);
  }

  /** Connects with {@code connect} and reads a successful CONNACK, within a bound wide enough for a loaded machine. */
  private static void assertServed(byte[] connect) throws IOException {
    try (Socket probe = new Socket("127.0.0.1", edgePort)) {
      probe.setSoTimeout(30_000);
      probe.getOutputStream().write(connect);
      InputStream in = probe.getInputStream();
      byte[] head = in.readNBytes(4);
      assertEquals(4, head.length, "the next client gets an answer");
      assertEquals(0x20, head[0], "a CONNACK");
      assertEquals(0, head[3], "of success");
    }
  }

  private static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
