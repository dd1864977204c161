package io.flowsdk.busrelay.impl;

import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Promise;

/** One outbound message on its way to the remote, with the promise of the bus delivery it acknowledges. */
record Outgoing(FlowMessage message, Promise<Void> acked) {

  int bytes() {
    return message.payload().length();
  }
}
