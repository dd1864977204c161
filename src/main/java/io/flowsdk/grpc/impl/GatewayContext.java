package io.flowsdk.grpc.impl;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.vertx.core.Vertx;

/** What every call of one gateway shares: read-only after construction. */
final class GatewayContext {

  final Vertx vertx;
  final FlowBus bus;
  final GrpcGatewayOptions options;
  final GatewayMetrics metrics;
  final Authenticator authenticator;

  GatewayContext(Vertx vertx, FlowBus bus, GrpcGatewayOptions options, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.bus = bus;
    this.options = new GrpcGatewayOptions(options);
    this.metrics = metrics;
    this.authenticator = new Authenticator(this.options.getTokens());
  }
}
