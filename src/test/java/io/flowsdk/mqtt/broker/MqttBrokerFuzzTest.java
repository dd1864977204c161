package io.flowsdk.mqtt.broker;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.metrics.FlowMetrics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: a live broker on a socket. A client connects with MQTT 5 (or 3.1.1, when the input's first byte is
 * odd: that byte only chooses) and then sends any bytes;
 * whatever they are, nothing escapes onto the broker's event loop, the next client is served, and once both
 * are gone the broker's open connections and sessions are back to what they were before. At the end of the run
 * no class with instances per connection (found by opening {@link #WARM_UP_CONNECTIONS} in the warm-up) has
 * as many live instances above the baseline taken after the warm-up as one connection holds
 * (docs/protocol-testing.md).
 */
class MqttBrokerFuzzTest {

  /** CONNECT, MQTT 5, clean start, keep-alive 60, no properties, client id "f". */
  private static final byte[] CONNECT = {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 1, 'f'};
  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60, client id "f". */
  private static final byte[] CONNECT_V311 = {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 1, 'f'};
  /** CONNECT, MQTT 5, client id "probe". */
  private static final byte[] PROBE = {0x10, 18, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 5, 'p', 'r', 'o', 'b', 'e'};

  private static final int WARM_UP_CONNECTIONS = 20;

  private static final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private static BrokerPeers broker;
  /** Each class with at least one live instance per open connection, and how many one connection holds. */
  private static Map<String, Long> perConnection;
  private static LiveInstances baseline;

  @BeforeAll
  static void startBroker() throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.exceptionHandler(escaped::add);
    broker = BrokerPeers.start(vertx, BrokerPeers.onFreePort());
    assertNextClientServed(); // classes loaded and the broker's first connection behind it before the readings
    LiveInstances idle = LiveInstances.now();
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < WARM_UP_CONNECTIONS; i++) {
        open.add(served(BrokerPeers.connect("warm-up-" + i, true, true, 0).bytes()));
      }
      LiveInstances connected = LiveInstances.now();
      perConnection = connected.perUnit(idle, WARM_UP_CONNECTIONS);
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    awaitConnectionsAndSessions(0, 0);
    baseline = LiveInstances.now();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    try {
      LiveInstances.assertNoneHeldAbove(baseline, perConnection,
        "per-connection instances above the baseline after the run, every connection closed");
    } finally {
      join(broker.vertx.close());
    }
  }

  @FuzzTest
  void givenAConnectedClient_whenAnyBytesFollowItsConnect_thenTheBrokerStillServesOthers(byte[] data) throws IOException {
    double connections = gauge("flowsdk_mqtt_broker_connections");
    double sessions = gauge("flowsdk_mqtt_broker_sessions");
    // Jazzer's SSRF detector flags every socket; this target's own go to the broker on loopback only
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> port == broker.port && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      sendAfterConnect(data);
      assertNextClientServed();
    }
    awaitConnectionsAndSessions(connections, sessions);
    assertEquals(List.of(), escaped, () -> "nothing escaped onto the broker's event loop; the first: " + stackOf(escaped.get(0)));
  }

  private static double gauge(String name) {
    return FlowMetrics.registry(broker.vertx).get(name).gauge().value();
  }

  private static void awaitConnectionsAndSessions(double connections, double sessions) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).untilAsserted(() -> {
      assertEquals(connections, gauge("flowsdk_mqtt_broker_connections"), "the broker's open connections, back to before");
      assertEquals(sessions, gauge("flowsdk_mqtt_broker_sessions"), "the broker's sessions, back to before");
    });
  }

  private static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** An odd first byte chooses MQTT 3.1.1 and is not sent; the inputs committed before it all start even. */
  private static void sendAfterConnect(byte[] data) throws IOException {
    boolean v311 = data.length > 0 && (data[0] & 1) == 1;
    try (Socket fuzzed = new Socket("127.0.0.1", broker.port)) {
      OutputStream out = fuzzed.getOutputStream();
      out.write(v311 ? CONNECT_V311 : CONNECT);
      out.write(data, v311 ? 1 : 0, v311 ? data.length - 1 : data.length);
      out.flush();
    }
  }

  private static void assertNextClientServed() throws IOException {
    served(PROBE).close();
  }

  /** A client that sent {@code connect} and read a successful CONNACK, still connected. */
  private static Socket served(byte[] connect) throws IOException {
    Socket client = new Socket("127.0.0.1", broker.port);
    try {
      client.setSoTimeout(30_000);
      client.getOutputStream().write(connect);
      InputStream in = client.getInputStream();
      byte[] head = in.readNBytes(4);
      assertEquals(4, head.length, "the next client gets an answer");
      assertEquals(0x20, head[0], "a CONNACK");
      assertEquals(0, head[3], "of success (its remaining length is one byte)");
      return client;
    } catch (IOException | AssertionError e) {
      client.close();
      throw e;
    }
  }
}
