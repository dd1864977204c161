package io.flowsdk.bus;

import io.vertx.core.Future;

/**
 * Answers requests sent to an address. Fail the future with a {@link io.flowsdk.FlowException} to
 * send its code and message back to the requester; any other failure reaches it as
 * {@link io.flowsdk.FlowError#INTERNAL}.
 */
@FunctionalInterface
public interface FlowResponder {
  Future<FlowMessage> respond(FlowMessage request);
}
