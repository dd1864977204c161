package io.flowsdk.relay;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttRelayServiceGrpcClient;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target: a live relay upstream (in front of our broker, one JVM). A stream establishes a session with a valid
 * CONNECT (MQTT 5 or 3.1.1, by the first byte), then carries any stream messages: protobuf bytes that parse as an
 * {@code mqtt.MqttStreamMessage} go as that message (numbered in sequence unless the input says otherwise), others go
 * as they are. Whatever they are, nothing escapes onto an event loop, the stream ends once the caller ends it, the
 * next stream is served, and no session is left (docs/protocol-testing.md).
 */
class RelayUpstreamFuzzTest {

  private static final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private static final AtomicLong SESSION_IDS = new AtomicLong();
  private static Vertx vertx;
  private static GrpcClient grpc;
  private static int upstreamPort;
  private static Set<Integer> ports;

  @BeforeAll
  static void startUpstream() throws Exception {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(escaped::add);
    int brokerPort = RelayFixture.deployOurBroker(vertx);
    upstreamPort = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(brokerPort)).actualPort();
    ports = Set.of(brokerPort, upstreamPort);
    grpc = GrpcClient.client(vertx);
    // the first stream opens the HTTP/2 connection and initialises protobuf: cold and instrumented, that can take
    // longer than a probe waits (before the first input Jazzer's SSRF detector is not yet in place)
    assertNextStreamServed(true);
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    join(grpc.close());
    join(vertx.close());
  }

  @FuzzTest
  void givenAnEstablishedSession_whenAnyStreamMessagesFollow_thenNothingEscapesTheStreamEndsAndNoSessionIsLeft(
    FuzzedDataProvider data) throws Exception {
    boolean v5 = data.consumeBoolean();
    // Jazzer's SSRF detector flags every socket, the relay's own included: these go to its two ports on loopback
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> ports.contains(port)
      && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      List<MqttStreamMessage> received = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> ended = stream(v5, received, request -> {
        long next = 2;
        while (data.remainingBytes() > 0) {
          boolean renumber = data.consumeBoolean();
          byte[] bytes = data.consumeBytes(data.consumeInt(0, 1024));
          try {
            MqttStreamMessage message = MqttStreamMessage.parseFrom(bytes);
            request.write(renumber ? message.toBuilder().setSequenceId(next++).build() : message);
          } catch (InvalidProtocolBufferException e) {
            request.writeMessage(GrpcMessage.message("identity", Buffer.buffer(bytes)));
          }
        }
      });
      ended.get(30, TimeUnit.SECONDS);
      assertNextStreamServed(v5);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
        .until(() -> RelayFixture.sessions(vertx, "upstream") == 0.0);
    }
    assertEquals(List.of(), escaped, () -> "nothing escaped onto an event loop; the first: " + stackOf(escaped.get(0)));
  }

  /**
   * Opens a stream, sends ESTABLISH and a valid CONNECT (sequence 0 and 1), then what {@code script} writes; ends it
   * at once, or (without a script) at the first message back. Completes when the upstream ended its side, with
   * what it sent in {@code received}.
   */
  private static CompletableFuture<Void> stream(boolean v5, List<MqttStreamMessage> received,
                                                Consumer<GrpcClientRequest<MqttStreamMessage, MqttStreamMessage>> script) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    grpc.request(SocketAddress.inetSocketAddress(upstreamPort, "127.0.0.1"), MqttRelayServiceGrpcClient.StreamMqttMessages)
      .onFailure(ended::completeExceptionally)
      .onSuccess(request -> {
        request.headers().set("session-id", "fuzz-" + SESSION_IDS.incrementAndGet()).set("client-id", "fuzz");
        request.response().onFailure(ended::completeExceptionally).onSuccess(response -> {
          response.handler(m -> {
            received.add(m);
            if (script == null) {
              request.end();
            }
          });
          response.exceptionHandler(e -> ended.complete(null)); // a reset stream has ended too
          response.endHandler(v -> ended.complete(null));
        });
        request.write(MqttStreamMessage.newBuilder().setDirection(MessageDirection.CLIENT_TO_BROKER).setSequenceId(0)
          .setSessionControl(SessionControl.newBuilder().setControlType(v5 ? SessionControl.ControlType.ESTABLISHV5
            : SessionControl.ControlType.ESTABLISHV3).setClientId("fuzz")).build());
        request.write(connect(v5));
        if (script != null) {
          script.accept(request);
          request.end();
        }
      });
    return ended;
  }

  private static MqttStreamMessage connect(boolean v5) {
    MqttStreamMessage.Builder message = MqttStreamMessage.newBuilder().setDirection(MessageDirection.CLIENT_TO_BROKER)
      .setSequenceId(1);
    if (v5) {
      message.setMqttV5Packet(io.flowsdk.relay.proto.v5.MqttPacket.newBuilder().setConnect(io.flowsdk.relay.proto.v5.Connect
        .newBuilder().setClientId("fuzz").setProtocolName("MQTT").setProtocolVersion(5).setCleanStart(true).setKeepAlive(60)));
    } else {
      message.setMqttV3Packet(io.flowsdk.relay.proto.v3.MqttPacket.newBuilder().setConnect(io.flowsdk.relay.proto.v3.Connect
        .newBuilder().setClientId("fuzz").setProtocolName("MQTT").setProtocolVersion(4).setCleanSession(true).setKeepAlive(60)));
    }
    return message.build();
  }

  /** A stream that only connects gets the broker's successful CONNACK. */
  private static void assertNextStreamServed(boolean v5) throws Exception {
    List<MqttStreamMessage> received = new CopyOnWriteArrayList<>();
    stream(v5, received, null).get(30, TimeUnit.SECONDS);
    MqttStreamMessage first = received.isEmpty() ? MqttStreamMessage.getDefaultInstance() : received.get(0);
    boolean success = v5 ? first.getMqttV5Packet().hasConnack() && first.getMqttV5Packet().getConnack().getReasonCode() == 0
      : first.getMqttV3Packet().hasConnack() && first.getMqttV3Packet().getConnack().getReturnCode() == 0;
    assertTrue(success, () -> "the next stream gets CONNACK success, not " + received);
  }

  private static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
