package io.flowsdk.grpc;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client cannot make the gateway hold a connection it does not use: raw sockets, then grpc-java. */
class GrpcGatewayConnectionTimeoutsTest {

  private static final long TIMEOUT = 500;
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** An empty SETTINGS frame: length 0, type 4, flags 0, stream 0. */
  private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  /** The start of a HEADERS frame (type 1, END_HEADERS) on stream 1 announcing 64 bytes, and 3 of them. */
  private static final byte[] HALF_HEADERS = {0, 0, 64, 1, 4, 0, 0, 0, 1, (byte) 0x83, (byte) 0x86, (byte) 0x84};

  private static GrpcGatewayOptions timeouts() {
    return new GrpcGatewayOptions().setRequestHeaderTimeoutMillis(TIMEOUT).setIdleTimeoutMillis(TIMEOUT);
  }

  /** Sends {@code bytes}, then reads until the server closes; returns the ms from the last byte sent to the close. */
  private static long closedAfter(int port, byte[]... bytes) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (byte[] b : bytes) {
        out.write(b);
      }
      out.flush();
      long sent = System.nanoTime();
      InputStream in = socket.getInputStream();
      try {
        while (in.read() >= 0) {
          // the server's SETTINGS and acks; wait for the end of the stream
        }
      } catch (java.net.SocketException reset) {
        // closed with a reset: closed as well
      }
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    }
  }

  @Test
  void givenASocketThatSendsNothing_thenClosedAfterRequestHeaderTimeout() throws Exception {
    try (GatewayFixture node = new GatewayFixture(timeouts())) {
      long ms = closedAfter(node.port());
      assertTrue(ms >= TIMEOUT - 50 && ms < 5_000, "closed after " + ms + " ms");
    }
  }

  @Test
  void givenAConnectionThatStopsHalfWayThroughItsHeaders_thenClosedAfterRequestHeaderTimeout() throws Exception {
    try (GatewayFixture node = new GatewayFixture(timeouts())) {
      long ms = closedAfter(node.port(), PREFACE, SETTINGS, HALF_HEADERS);
      assertTrue(ms >= TIMEOUT - 50 && ms < 5_000, "closed after " + ms + " ms");
      long halfPreface = closedAfter(node.port(), "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(halfPreface >= TIMEOUT - 50 && halfPreface < 5_000, "closed after " + halfPreface + " ms");
    }
  }

  @Test
  void givenAConnectionWhoseCallsEnded_thenClosedAfterIdleTimeoutAndCounted_butAQuietSubscriptionIsKept() throws Exception {
    try (GatewayFixture node = new GatewayFixture(timeouts());
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      PublishRequest publish = PublishRequest.newBuilder().setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder()
        .setTopic("quiet/x")).build();
      client.blocking(null).publish(publish);
      await().atMost(5, TimeUnit.SECONDS).until(() ->
        node.counter("flowsdk_grpc_connections_closed_total", "reason", "idleTimeout") == 1);

      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> quiet = new GrpcJavaClient.Recorder<>();
      client.async(null).subscribe(SubscribeRequest.newBuilder()
        .addSubscriptions(Subscription.newBuilder().setFilter("quiet/#")).build(), quiet);
      await().until(() -> quiet.items.size() == 1);
      await().during(Duration.ofMillis(4 * TIMEOUT)).atMost(Duration.ofMillis(6 * TIMEOUT))
        .until(() -> !quiet.done.isDone());
      join(node.bus.publish(FlowMessage.of("quiet/y", io.vertx.core.buffer.Buffer.buffer("still here"))));
      await().until(() -> quiet.items.size() == 2);
      assertEquals("still here", quiet.items.get(1).getDelivery().getMessage().getPayload().toStringUtf8());
      assertEquals(1.0, node.counter("flowsdk_grpc_connections_closed_total", "reason", "idleTimeout"));
      assertFalse(quiet.done.isDone());
    }
  }
}
