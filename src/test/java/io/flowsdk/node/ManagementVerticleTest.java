package io.flowsdk.node;

import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementVerticleTest {

  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private int start(ManagementOptions options) throws Exception {
    ManagementVerticle management = new ManagementVerticle();
    join(vertx.deployVerticle(management, new DeploymentOptions().setConfig(options.setPort(0).toJson())));
    return management.actualPort();
  }

  private double count(String meter) {
    return FlowMetrics.registry(vertx).get(meter).counter().count();
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(5_000);
    return socket;
  }

  /** Reads until the server closes the connection; fails with SocketTimeoutException if it does not within the socket timeout. */
  private static String readToClose(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }

  /** Reads one response to /health (its body ends with "}"). */
  private static String readHealthResponse(InputStream in) throws IOException {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    while (!response.toString(StandardCharsets.US_ASCII).endsWith("}")) {
      int b = in.read();
      assertTrue(b >= 0, "the connection closed after: " + response);
      response.write(b);
    }
    return response.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void givenAConnectionThatSentHalfARequestLine_whenTheHeaderTimeoutPasses_thenItIsClosedAndCounted() throws Exception {
    int port = start(new ManagementOptions().setRequestHeaderTimeoutMillis(300).setIdleTimeoutMillis(60_000));
    try (Socket socket = connect(port)) {
      long start = System.nanoTime();
      socket.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
      assertEquals("", readToClose(socket.getInputStream()), "closed without an answer");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 250, "closed by the header deadline, not at once: " + millis + " ms");
    }
    assertEquals(1.0, count("flowsdk_http_request_header_timeouts_total"));
    assertEquals(0.0, count("flowsdk_http_idle_closed_total"));
  }

  @Test
  void givenAConnectionThatSendsNothing_whenTheIdleTimeoutPasses_thenItIsClosedAndCounted() throws Exception {
    int port = start(new ManagementOptions().setIdleTimeoutMillis(300));
    try (Socket socket = connect(port)) {
      assertEquals("", readToClose(socket.getInputStream()));
    }
    assertEquals(1.0, count("flowsdk_http_idle_closed_total"));
    assertEquals(0.0, count("flowsdk_http_request_header_timeouts_total"));
  }

  @Test
  void givenAKeepAliveConnection_whenItWaitsLongerThanTheHeaderTimeoutBetweenRequests_thenItStaysOpen() throws Exception {
    int port = start(new ManagementOptions().setRequestHeaderTimeoutMillis(200).setIdleTimeoutMillis(60_000));
    try (Socket socket = connect(port)) {
      socket.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
      assertTrue(readHealthResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"));
      socket.setSoTimeout(600);
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
        "between requests only the idle timeout applies: the connection stays open");
      socket.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5_000);
      assertTrue(readHealthResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"));
    }
    assertEquals(0.0, count("flowsdk_http_request_header_timeouts_total"));
  }
}
