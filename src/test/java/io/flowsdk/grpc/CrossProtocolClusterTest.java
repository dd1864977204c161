package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.FlowMessage;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeReply;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.flowsdk.mqtt.bridge.MqttBridgeOptions;
import io.flowsdk.mqtt.bridge.MqttClientVerticle;
import io.flowsdk.mqtt.bridge.RequestMapping;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TestCluster;
import io.grpc.stub.StreamObserver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flow across protocols and nodes, with independent peers at both ends: Mosquitto's C clients on
 * the MQTT side, grpc-java on the gRPC side. Node A runs the MQTT bridge to a real Mosquitto, node
 * B the gRPC gateway; they share only the clustered flow bus.
 */
class CrossProtocolClusterTest {

  @RegisterExtension
  static final MosquittoBroker broker = MosquittoBroker.create();

  private static Vertx nodeA;
  private static Vertx nodeB;
  private static FlowBus busA;
  private static FlowBus busB;
  private static GrpcJavaClient grpc;

  @BeforeAll
  static void startNodes() throws Exception {
    TestCluster cluster = new TestCluster();
    nodeA = join(cluster.startNode());
    nodeB = join(cluster.startNode());
    busA = join(FlowBus.create(nodeA));
    busB = join(FlowBus.create(nodeB));
    MqttBridgeOptions bridge = new MqttBridgeOptions()
      .setName("site1")
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setClientId("site1-bridge"))
      .addInbound(new TopicMapping("site1/#", "plant/site1/#").setQos(QoS.AT_LEAST_ONCE))
      .addInboundRequest(new RequestMapping("site1/svc/upper", "svc/upper"));
    join(nodeA.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(bridge.toJson())));
    GrpcGateway gateway = join(GrpcGateway.create(nodeB, new GrpcGatewayOptions().setHost("127.0.0.1").setPort(0)));
    grpc = new GrpcJavaClient(gateway.actualPort());
  }

  @AfterAll
  static void stopNodes() throws Exception {
    grpc.close();
    join(nodeA.close());
    join(nodeB.close());
  }

  private static Process mosquittoClient(String... args) throws IOException {
    return new ProcessBuilder(args).redirectErrorStream(true).start();
  }

  @Test
  void givenGrpcSubscriberOnB_whenMosquittoPubPublishesToTheBrokerBridgedOnA_thenTheGrpcStreamReceivesIt() throws Exception {
    GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> stream = new GrpcJavaClient.Recorder<>();
    grpc.async(null).subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("plant/site1/+/temp")
        .setQos(io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE)).build(), stream);
    await().atMost(Duration.ofSeconds(20)).until(() -> join(busA.routeOf("plant/site1/line4/temp")).equals(Set.of(busB.nodeId())));

    Process pub = mosquittoClient("mosquitto_pub", "-h", broker.host(), "-p", String.valueOf(broker.port()), "-V", "mqttv5",
      "-q", "1", "-t", "site1/line4/temp", "-m", "21.5", "-D", "publish", "user-property", "unit", "celsius");
    assertTrue(pub.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(20)).until(() -> stream.items.stream().anyMatch(SubscribeResponse::hasDelivery));
    FlowMessage delivered = stream.items.stream().filter(SubscribeResponse::hasDelivery).findFirst().orElseThrow()
      .getDelivery().getMessage();
    assertEquals("plant/site1/line4/temp", delivered.getTopic());
    assertEquals("21.5", delivered.getPayload().toStringUtf8());
    assertEquals(io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE, delivered.getQos());
    assertEquals(List.of("unit=celsius"), delivered.getHeadersList().stream().map(h -> h.getName() + "=" + h.getValue()).toList());
    assertEquals(busA.nodeId(), delivered.getOrigin().getNode(), "the message entered the bus on node A");
    assertEquals("mqtt-client", delivered.getOrigin().getAdapter());
    assertEquals("site1", delivered.getOrigin().getClient(), "the bridge's name");
    stream.call.cancel("done", null);
  }

  @Test
  void givenGrpcServeResponderOnB_whenMosquittoRrSendsAnMqtt5Request_thenItGetsTheGrpcAnswer() throws Exception {
    GrpcJavaClient.Recorder<ServeRequest, ServeResponse> incoming = new GrpcJavaClient.Recorder<>();
    StreamObserver<ServeRequest>[] out = new StreamObserver[1];
    StreamObserver<ServeResponse> responder = new StreamObserver<>() {
      @Override
      public void onNext(ServeResponse r) {
        incoming.onNext(r);
        if (r.hasRequest()) {
          String text = r.getRequest().getMessage().getPayload().toStringUtf8();
          ServeReply reply = ServeReply.newBuilder().setCorrelationId(r.getRequest().getCorrelationId())
            .setResponse(FlowMessage.newBuilder().setPayload(ByteString.copyFromUtf8(text.toUpperCase()))).build();
          synchronized (out) {
            out[0].onNext(ServeRequest.newBuilder().setReply(reply).build());
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        incoming.onError(t);
      }

      @Override
      public void onCompleted() {
        incoming.onCompleted();
      }
    };
    synchronized (out) {
      out[0] = grpc.async(null).serve(responder);
      out[0].onNext(ServeRequest.newBuilder().setRegister(ServeRegistration.newBuilder().setAddress("svc/upper")).build());
    }
    await().until(() -> !incoming.items.isEmpty() && incoming.items.get(0).hasRegistered());

    Process rr = mosquittoClient("mosquitto_rr", "-h", broker.host(), "-p", String.valueOf(broker.port()), "-V", "mqttv5",
      "-q", "1", "-t", "site1/svc/upper", "-e", "replies/rr-client", "-m", "hello from mqtt", "-W", "20");
    assertTrue(rr.waitFor(30, TimeUnit.SECONDS));
    String answer = new String(rr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, rr.exitValue(), answer);
    assertEquals("HELLO FROM MQTT", answer);
    synchronized (out) {
      out[0].onCompleted();
    }
  }
}
