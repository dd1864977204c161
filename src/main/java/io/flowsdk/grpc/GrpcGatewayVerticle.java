package io.flowsdk.grpc;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys a {@link GrpcGateway} configured by {@code config()}, the JSON form of
 * {@link GrpcGatewayOptions} (descriptor {@code verticles/grpc-gateway.json}). Several instances
 * share the port, each serving the connections Vert.x hands to its event loop.
 */
public class GrpcGatewayVerticle extends VerticleBase {

  private GrpcGateway gateway;

  @Override
  public Future<?> start() {
    return GrpcGateway.create(vertx, new GrpcGatewayOptions(config())).onSuccess(g -> gateway = g);
  }

  @Override
  public Future<?> stop() {
    return gateway == null ? Future.succeededFuture() : gateway.close();
  }
}
