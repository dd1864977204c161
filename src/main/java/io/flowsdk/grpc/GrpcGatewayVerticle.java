package io.flowsdk.grpc;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.middleware.NodeMiddleware;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys a {@link GrpcGateway} configured by {@code config()}, the JSON form of
 * {@link GrpcGatewayOptions} (descriptor {@code verticles/grpc-gateway.json}), with the
 * {@code flowsdk.v1.Queue} and {@code flowsdk.v1.Table} services over the queues and tables the node
 * deploys ({@link NodeMiddleware}, from its {@code MiddlewareVerticle}). Several instances share the
 * port, each serving the connections Vert.x hands to its event loop.
 */
public class GrpcGatewayVerticle extends VerticleBase {

  private GrpcGateway gateway;

  @Override
  public Future<?> start() {
    GrpcGatewayOptions options = new GrpcGatewayOptions(config());
    return FlowBus.create(vertx)
      .compose(bus -> GrpcGateway.create(vertx, options, NodeMiddleware.of(vertx).grpcServices(vertx, bus)))
      .onSuccess(g -> gateway = g);
  }

  @Override
  public Future<?> stop() {
    return gateway == null ? Future.succeededFuture() : gateway.close();
  }
}
