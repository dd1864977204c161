package io.flowsdk.relay;

import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttRelayServiceGrpc;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.flowsdk.testing.Futures;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our edge against a relay upstream that is not our code: a grpc-java server from our .proto that records
 * what arrives as FlowSDK's s-proxy reads it (the session-id and client-id metadata, the ESTABLISHV3 or
 * ESTABLISHV5 control type that picks its MQTT parser, the CONNECT).
 */
class EdgeToSProxyPeerTest {

  private Vertx vertx;
  private Server sProxy;
  private final LinkedBlockingQueue<Metadata> headers = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<MqttStreamMessage> received = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      Futures.join(vertx.close());
    }
    if (sProxy != null) {
      sProxy.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private int startSProxyPeer() throws Exception {
    MqttRelayServiceGrpc.MqttRelayServiceImplBase service = new MqttRelayServiceGrpc.MqttRelayServiceImplBase() {
      @Override
      public StreamObserver<MqttStreamMessage> streamMqttMessages(StreamObserver<MqttStreamMessage> toEdge) {
        return new StreamObserver<>() {
          @Override
          public void onNext(MqttStreamMessage value) {
            received.add(value);
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
            toEdge.onCompleted();
          }
        };
      }
    };
    sProxy = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
      .addService(ServerInterceptors.intercept(service, new io.grpc.ServerInterceptor() {
        @Override
        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata md,
                                                                 io.grpc.ServerCallHandler<Q, R> next) {
          headers.add(md);
          return Contexts.interceptCall(io.grpc.Context.current(), call, md, next);
        }
      })).build().start();
    return sProxy.getPort();
  }

  private MqttStreamMessage next() throws InterruptedException {
    MqttStreamMessage m = received.poll(15, TimeUnit.SECONDS);
    assertNotNull(m, "the edge sent nothing within 15 s");
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"mqttv311,ESTABLISHV3", "mqttv5,ESTABLISHV5"})
  void givenAnMqttClientWhenItConnectsThroughTheEdgeThenTheUpstreamGetsFlowSdksEstablishMetadataAndConnect(
    String version, SessionControl.ControlType expected) throws Exception {
    int upstreamPort = startSProxyPeer();
    vertx = Vertx.vertx();
    RelayEdgeVerticle edge = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstreamPort));
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(edge.actualPort()),
      "-V", version, "-i", "wire-" + version, "-t", "t", "-m", "m").redirectErrorStream(true).start();
    try {
      MqttStreamMessage establish = next();
      assertEquals(0, establish.getSequenceId());
      assertEquals(MessageDirection.CLIENT_TO_BROKER, establish.getDirection());
      assertEquals(expected, establish.getSessionControl().getControlType());
      assertEquals("wire-" + version, establish.getSessionControl().getClientId());
      assertFalse(establish.getUnknownFields().hasField(1), "no session_id field: FlowSDK removed it");

      MqttStreamMessage connect = next();
      assertEquals(1, connect.getSequenceId());
      assertTrue(version.equals("mqttv5") ? connect.getMqttV5Packet().hasConnect() : connect.getMqttV3Packet().hasConnect());

      Metadata md = headers.poll(5, TimeUnit.SECONDS);
      assertNotNull(md);
      assertEquals("wire-" + version, md.get(RProxyPeer.CLIENT_ID));
      String sessionId = md.get(RProxyPeer.SESSION_ID);
      assertNotNull(sessionId);
      assertFalse(sessionId.isEmpty());
    } finally {
      pub.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
