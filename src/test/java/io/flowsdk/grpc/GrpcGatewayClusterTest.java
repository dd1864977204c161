package io.flowsdk.grpc;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.flowsdk.testing.TestCluster;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two clustered nodes: the gateway runs on A, plain Java on B. A gRPC Serve responder on A answers a
 * FlowBus request from B, a gRPC subscriber on A receives B's publishes, and a gRPC publish on A
 * reaches a Java subscriber on B.
 */
class GrpcGatewayClusterTest {

  private static final Duration ROUTES_SETTLE = Duration.ofSeconds(20);

  static Vertx nodeA;
  static Vertx nodeB;
  static FlowBus busB;
  static GrpcGateway gateway;
  static GrpcJavaClient client;

  @BeforeAll
  static void start() throws Exception {
    TestCluster cluster = new TestCluster();
    nodeA = join(cluster.startNode());
    nodeB = join(cluster.startNode());
    busB = join(FlowBus.create(nodeB));
    gateway = join(GrpcGateway.create(nodeA, new GrpcGatewayOptions().setPort(0)));
    client = new GrpcJavaClient(gateway.actualPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    join(nodeA.close());
    join(nodeB.close());
  }

  @Test
  void givenGrpcServeResponderOnA_whenJavaOnBRequests_thenTheGrpcClientAnswers() throws Exception {
    GrpcJavaClient.Recorder<ServeRequest, ServeResponse> incoming = new GrpcJavaClient.Recorder<>();
    StreamObserver<ServeRequest>[] out = new StreamObserver[1];
    StreamObserver<ServeResponse> answering = new StreamObserver<>() {
      @Override
      public void onNext(ServeResponse r) {
        incoming.onNext(r);
        if (r.hasRequest()) {
          synchronized (out) {
            out[0].onNext(GrpcGatewayVertxClientTest.answer(r.getRequest()));
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
      out[0] = client.async(null).serve(answering);
      out[0].onNext(ServeRequest.newBuilder().setRegister(ServeRegistration.newBuilder().setAddress("cluster/upper")).build());
    }
    await().until(() -> !incoming.items.isEmpty());

    FlowMessage answer = join(busB.request("cluster/upper", FlowMessage.of("cluster/upper", Buffer.buffer("from b")),
      Duration.ofSeconds(10)));
    assertEquals("FROM B", answer.payload().toString());
    synchronized (out) {
      out[0].onCompleted();
    }
  }

  @Test
  void givenGrpcSubscriberOnA_whenJavaOnBPublishes_thenDelivered_andGrpcPublishOnAReachesB() throws Exception {
    GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> sub = new GrpcJavaClient.Recorder<>();
    client.async(null).subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("cluster/to-a/#").setQosValue(1)).build(), sub);
    await().until(() -> !sub.items.isEmpty());
    await().atMost(ROUTES_SETTLE).until(() -> !join(busB.routeOf("cluster/to-a/x")).isEmpty());
    assertEquals(1, join(busB.publish(FlowMessage.builder("cluster/to-a/x").payload("hi").qos(QoS.AT_LEAST_ONCE).build()))
      .subscribers());
    await().until(() -> sub.items.size() == 2);
    assertEquals("hi", sub.items.get(1).getDelivery().getMessage().getPayload().toStringUtf8());

    List<String> onB = new CopyOnWriteArrayList<>();
    join(busB.subscribe("cluster/to-b", m -> onB.add(m.payload().toString())));
    await().atMost(ROUTES_SETTLE).until(() -> client.blocking(null).publish(PublishRequest.newBuilder()
      .setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic("cluster/to-b").setQosValue(1)
        .setPayload(com.google.protobuf.ByteString.copyFromUtf8("yo"))).build()).getSubscribers() == 1);
    assertEquals("yo", onB.get(0));
    sub.call.cancel("done", null);
  }
}
