package io.flowsdk.grpc;

import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.health.v1.HealthListRequest;
import io.vertx.grpc.health.v1.HealthListResponse;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Health says whether the gateway can reach the bus: per service, and for the server as a whole. */
class GrpcGatewayHealthTest {

  static final MethodDescriptor<HealthCheckRequest, HealthCheckResponse> CHECK = health("Check", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<HealthCheckRequest, HealthCheckResponse> WATCH = health("Watch", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<HealthListRequest, HealthListResponse> LIST = MethodDescriptor.<HealthListRequest, HealthListResponse>newBuilder()
    .setType(MethodDescriptor.MethodType.UNARY)
    .setFullMethodName("grpc.health.v1.Health/List")
    .setRequestMarshaller(ProtoUtils.marshaller(HealthListRequest.getDefaultInstance()))
    .setResponseMarshaller(ProtoUtils.marshaller(HealthListResponse.getDefaultInstance())).build();

  static MethodDescriptor<HealthCheckRequest, HealthCheckResponse> health(String method, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<HealthCheckRequest, HealthCheckResponse>newBuilder()
      .setType(type)
      .setFullMethodName("grpc.health.v1.Health/" + method)
      .setRequestMarshaller(ProtoUtils.marshaller(HealthCheckRequest.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(HealthCheckResponse.getDefaultInstance())).build();
  }

  static ServingStatus check(GrpcJavaClient client, String service) {
    return ClientCalls.blockingUnaryCall(client.channel, CHECK, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
      HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  void givenAClusteredNode_whenItLosesTheCluster_thenServerAndFlowAreNotServingAndWatchersAreTold() throws Exception {
    Vertx node = join(new TestCluster().startNode());
    try {
      GrpcGateway gateway = join(GrpcGateway.create(node, new GrpcGatewayOptions().setPort(0)));
      try (GrpcJavaClient client = new GrpcJavaClient(gateway.actualPort())) {
        assertEquals(ServingStatus.SERVING, check(client, ""));
        assertEquals(ServingStatus.SERVING, check(client, "flowsdk.v1.Flow"));
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> check(client, "no.such.Service"));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        GrpcJavaClient.Recorder<HealthCheckRequest, HealthCheckResponse> watch = new GrpcJavaClient.Recorder<>();
        ClientCalls.asyncServerStreamingCall(client.channel.newCall(WATCH, CallOptions.DEFAULT),
          HealthCheckRequest.newBuilder().setService("flowsdk.v1.Flow").build(), watch);
        await().until(() -> watch.items.size() == 1);
        assertEquals(ServingStatus.SERVING, watch.items.get(0).getStatus());

        ClusterNodes.hazelcast(node)
          .getLifecycleService().terminate();

        assertEquals(ServingStatus.NOT_SERVING, check(client, ""));
        assertEquals(ServingStatus.NOT_SERVING, check(client, "flowsdk.v1.Flow"));
        assertEquals(ServingStatus.SERVING, check(client, "grpc.health.v1.Health"), "health itself still answers");
        await().atMost(10, TimeUnit.SECONDS).until(() -> watch.items.size() == 2);
        assertEquals(ServingStatus.NOT_SERVING, watch.items.get(1).getStatus());
        HealthListResponse all = ClientCalls.blockingUnaryCall(client.channel, LIST, CallOptions.DEFAULT,
          HealthListRequest.getDefaultInstance());
        assertEquals(ServingStatus.NOT_SERVING, all.getStatusesMap().get("flowsdk.v1.Flow").getStatus());
        assertEquals(ServingStatus.SERVING, all.getStatusesMap().get("grpc.health.v1.Health").getStatus());
        watch.call.cancel("done", null);
      }
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
