package io.flowsdk.admin;

import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.GrpcGatewayVerticle;
import io.flowsdk.grpc.v1.FlowGrpc;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;

/** {@code /api/grpc/streams} counts a gRPC stream while it is open, per gateway. */
class AdminGrpcStreamsTest {

  private final Vertx vertx = Vertx.vertx();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    join(vertx.close());
  }

  @Test
  void givenAnOpenSubscribeStream_thenItIsCountedUntilTheClientCancelsIt() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    int grpcPort = FreePorts.loopback();
    join(vertx.deployVerticle(GrpcGatewayVerticle.class.getName(),
      new DeploymentOptions().setConfig(new GrpcGatewayOptions().setPort(grpcPort).toJson())));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    AtomicReference<ClientCallStreamObserver<SubscribeRequest>> call = new AtomicReference<>();
    FlowGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("admin/streams")).build(), new ClientResponseObserver<SubscribeRequest, SubscribeResponse>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
          call.set(requestStream);
        }

        @Override
        public void onNext(SubscribeResponse value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
      });
    JsonObject open = new JsonObject().put("callsInProgress", 1)
      .put("gateways", new JsonArray().add(new JsonObject().put("gateway", "127.0.0.1:" + grpcPort).put("callsInProgress", 1)));
    await().atMost(10, TimeUnit.SECONDS).until(() -> streams(node).equals(open));
    call.get().cancel("done", null);
    await().atMost(10, TimeUnit.SECONDS).until(() -> streams(node).getLong("callsInProgress") == 0);
  }

  private static JsonObject streams(AdminNode node) throws Exception {
    return node.get("/api/grpc/streams").getJsonArray("nodes").getJsonObject(0).getJsonObject("result");
  }
}
