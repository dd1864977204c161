package io.flowsdk.relay;

import com.google.protobuf.ByteString;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttRelayServiceGrpc;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer of the relay protocol that is not our code: grpc-java stubs generated from our .proto, scripted
 * like FlowSDK's r-proxy (metadata session-id and client-id, ESTABLISHV3/V5 and CONNECT numbered 0, then 1, 2 ...).
 */
final class RProxyPeer implements AutoCloseable {

  static final Metadata.Key<String> SESSION_ID = Metadata.Key.of("session-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CLIENT_ID = Metadata.Key.of("client-id", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  final LinkedBlockingQueue<MqttStreamMessage> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Void> done = new CompletableFuture<>();
  private final StreamObserver<MqttStreamMessage> out;
  private long next;

  RProxyPeer(int port, String sessionId, String clientIdHeader) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    Metadata md = new Metadata();
    md.put(SESSION_ID, sessionId);
    md.put(CLIENT_ID, clientIdHeader);
    out = MqttRelayServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
      .streamMqttMessages(new StreamObserver<>() {
        @Override
        public void onNext(MqttStreamMessage value) {
          received.add(value);
        }

        @Override
        public void onError(Throwable t) {
          done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
          done.complete(null);
        }
      });
  }

  /** A stream message; the session id travels in the metadata only, as in FlowSDK's r-proxy. */
  private static MqttStreamMessage.Builder message(long sequence) {
    return MqttStreamMessage.newBuilder().setSequenceId(sequence).setDirection(MessageDirection.CLIENT_TO_BROKER);
  }

  static MqttStreamMessage establish(SessionControl.ControlType type, String clientId) {
    return message(0).setSessionControl(SessionControl.newBuilder().setControlType(type).setClientId(clientId)).build();
  }

  /**
   * ESTABLISHV5 with the client id, then the CONNECT, both numbered 0 as FlowSDK's r-proxy does; every
   * later packet counts up from 1.
   */
  void connect(io.flowsdk.relay.proto.v5.Connect connect) {
    out.onNext(establish(SessionControl.ControlType.ESTABLISHV5, connect.getClientId()));
    out.onNext(message(0).setMqttV5Packet(io.flowsdk.relay.proto.v5.MqttPacket.newBuilder().setConnect(connect)).build());
    next = 1;
  }

  /** ESTABLISHV3, then the CONNECT, as {@link #connect(io.flowsdk.relay.proto.v5.Connect)}. */
  void connect(io.flowsdk.relay.proto.v3.Connect connect) {
    out.onNext(establish(SessionControl.ControlType.ESTABLISHV3, connect.getClientId()));
    out.onNext(message(0).setMqttV3Packet(io.flowsdk.relay.proto.v3.MqttPacket.newBuilder().setConnect(connect)).build());
    next = 1;
  }

  void send(io.flowsdk.relay.proto.v5.MqttPacket packet) {
    out.onNext(message(next++).setMqttV5Packet(packet).build());
  }

  void send(io.flowsdk.relay.proto.v3.MqttPacket packet) {
    out.onNext(message(next++).setMqttV3Packet(packet).build());
  }

  void sendRaw(MqttStreamMessage message) {
    out.onNext(message);
  }

  void halfClose() {
    out.onCompleted();
  }

  MqttStreamMessage next() throws InterruptedException {
    MqttStreamMessage m = received.poll(15, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("nothing received from the upstream within 15 s");
    }
    return m;
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
