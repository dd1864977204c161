package io.flowsdk.grpc.impl;

import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Promise;

/** A message on its way to a subscribe stream's client, with the bus acknowledgement it owes. */
final class PendingDelivery {

  final long id;
  final String filter;
  final FlowMessage message;
  /** Completed when the delivery is done (written, or acknowledged by the client); null at QoS 0. */
  final Promise<Void> ack;
  int redeliveryCount;
  long timerId = -1;

  PendingDelivery(long id, String filter, FlowMessage message, Promise<Void> ack) {
    this.id = id;
    this.filter = filter;
    this.message = message;
    this.ack = ack;
  }
}
