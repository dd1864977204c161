package io.flowsdk.grpc;

import io.flowsdk.grpc.impl.GrpcGatewayImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.Service;

import java.util.List;

/**
 * A gRPC server that puts gRPC clients onto the flow bus of its Vert.x instance: the
 * {@code flowsdk.v1.Flow} service (Publish, PublishStream, Subscribe, SubscribeAcked, Request, Serve;
 * see {@code src/main/proto/flowsdk/v1/flow.proto} and {@code docs/grpc-gateway.md}), the standard
 * {@code grpc.health.v1.Health} service and, unless disabled, server reflection.
 */
public interface GrpcGateway {

  /**
   * Starts a gateway listening as {@code options} say. Fails with {@code INVALID} for inconsistent
   * options (TLS without a certificate) and with the bind error when the port is taken.
   */
  static Future<GrpcGateway> create(Vertx vertx, GrpcGatewayOptions options) {
    return GrpcGatewayImpl.start(vertx, options, List.of());
  }

  /**
   * Like {@link #create(Vertx, GrpcGatewayOptions)}, serving {@code services} too (such as
   * {@code FlowQueue.grpcService} and {@code FlowTable.grpcService}); their calls need a bearer token
   * when the gateway is configured with tokens.
   */
  static Future<GrpcGateway> create(Vertx vertx, GrpcGatewayOptions options, List<Service> services) {
    return GrpcGatewayImpl.start(vertx, options, services);
  }

  /** The port the gateway listens on (the chosen one when the options said 0). */
  int actualPort();

  /** Stops listening and ends every call in progress; their subscriptions and services are released. */
  Future<Void> close();
}
