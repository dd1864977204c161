package io.flowsdk.mqtt.broker;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: a live broker on a socket. A client connects with MQTT 5 and then sends any bytes;
 * whatever they are, nothing escapes onto the broker's event loop and the next client is served
 * (docs/protocol-testing.md).
 */
class MqttBrokerFuzzTest {

  /** CONNECT, MQTT 5, clean start, keep-alive 60, no properties, client id "f". */
  private static final byte[] CONNECT = {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 1, 'f'};
  /** CONNECT, MQTT 5, client id "probe". */
  private static final byte[] PROBE = {0x10, 18, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 5, 'p', 'r', 'o', 'b', 'e'};

  private static final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private static BrokerPeers broker;

  @BeforeAll
  static void startBroker() throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.exceptionHandler(escaped::add);
    broker = BrokerPeers.start(vertx, BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    join(broker.vertx.close());
  }

  @FuzzTest
  void givenAConnectedClient_whenAnyBytesFollowItsConnect_thenTheBrokerStillServesOthers(byte[] data) throws IOException {
    // Jazzer's SSRF detector flags every socket; this target's own go to the broker on loopback only
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> port == broker.port && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      sendAfterConnect(data);
      assertNextClientServed();
    }
    assertEquals(List.of(), escaped, () -> "nothing escaped onto the broker's event loop; the first: " + stackOf(escaped.get(0)));
  }

  private static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static void sendAfterConnect(byte[] data) throws IOException {
    try (Socket fuzzed = new Socket("127.0.0.1", broker.port)) {
      OutputStream out = fuzzed.getOutputStream();
      out.write(CONNECT);
      out.write(data);
      out.flush();
    }
  }

  private static void assertNextClientServed() throws IOException {
    try (Socket probe = new Socket("127.0.0.1", broker.port)) {
      probe.setSoTimeout(30_000);
      probe.getOutputStream().write(PROBE);
      InputStream in = probe.getInputStream();
      byte[] head = in.readNBytes(4);
      assertEquals(4, head.length, "the next client gets an answer");
      assertEquals(0x20, head[0], "a CONNACK");
      assertEquals(0, head[3], "of success (its remaining length is one byte)");
    }
  }
}
