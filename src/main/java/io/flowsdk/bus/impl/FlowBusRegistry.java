package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Keeps the one bus of each Vert.x instance. */
public final class FlowBusRegistry {

  private FlowBusRegistry() {
  }

  public static Future<FlowBus> busOf(Vertx vertx, FlowBusOptions options) {
    return Future.failedFuture(new FlowException(FlowError.INTERNAL, "the flow bus implementation is not in this commit yet"));
  }
}
