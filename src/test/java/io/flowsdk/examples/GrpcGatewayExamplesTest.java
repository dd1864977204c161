package io.flowsdk.examples;

import com.google.protobuf.ByteString;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.GrpcGatewayVerticle;
import io.flowsdk.grpc.GrpcPermittedOptions;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.grpc.StreamOverflowPolicy;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.PublishResponse;
import io.flowsdk.grpc.v1.QoS;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples quoted in docs/grpc-gateway.md; they run as tests so the doc cannot rot. */
class GrpcGatewayExamplesTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void deployAndPublish() throws Exception {
    int port = FreePorts.loopback();
    List<String> received = new CopyOnWriteArrayList<>();
    join(FlowBus.create(vertx).compose(bus -> bus.subscribe("orders/#", m -> received.add(m.payload().toString()))));
    // tag::deploy-and-publish[]
    GrpcGatewayOptions options = new GrpcGatewayOptions()
      .setPort(port)                                        // 50051 by default, on 127.0.0.1
      .setOverflowPolicy(StreamOverflowPolicy.DROP_OLDEST)  // a subscriber that reads too slowly loses its oldest
      .addToken(new GrpcTokenOptions()
        .setName("shop")
        .setSha256(GrpcTokenOptions.hash("s3cret"))         // only the hash is configured
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("orders/.*"))
        .addOutboundPermitted(new GrpcPermittedOptions().setAddress("orders/#")));
    Future<String> deployed = vertx.deployVerticle(new GrpcGatewayVerticle(),
      new DeploymentOptions().setConfig(options.toJson()));

    // any gRPC client; here the one vertx-grpc-protoc-plugin2 generates from flow.proto
    GrpcClient grpc = GrpcClient.client(vertx);
    SocketAddress gateway = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    Future<PublishResponse> published = deployed
      .compose(id -> grpc.request(gateway, FlowGrpcClient.Publish))
      .compose(call -> {
        call.headers().set("authorization", "Bearer s3cret");
        call.end(PublishRequest.newBuilder().setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder()
          .setTopic("orders/42")
          .setPayload(ByteString.copyFromUtf8("{\"sku\":\"A-1\"}"))
          .setContentType("application/json")
          .setQos(QoS.QOS_AT_LEAST_ONCE)).build());
        return call.response().compose(response -> response.last());
      });
    // end::deploy-and-publish[]
    PublishResponse reply = join(published);
    assertTrue(reply.getAcknowledged());
    assertEquals(1, reply.getSubscribers());
    assertEquals(List.of("{\"sku\":\"A-1\"}"), received);
  }
}
