package io.flowsdk.bus;

import io.vertx.core.Future;

/** A responder registered with {@link FlowBus#serve}; close it to stop serving the address. */
public interface FlowService {

  String address();

  Future<Void> close();
}
