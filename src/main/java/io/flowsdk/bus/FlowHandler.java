package io.flowsdk.bus;

import io.vertx.core.Future;

/**
 * Receives the messages of a subscription and says when each is taken care of. The returned future
 * is the acknowledgement: a QoS 1 or 2 publish completes only when the futures of all subscribers
 * it reached have completed, and fails with the error of a failed one. Until it completes the
 * message counts against the subscription's in-flight window.
 */
@FunctionalInterface
public interface FlowHandler {
  Future<Void> handle(FlowMessage message);
}
