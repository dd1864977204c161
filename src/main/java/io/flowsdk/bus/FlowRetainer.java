package io.flowsdk.bus;

import io.vertx.core.Future;

/**
 * Keeps the retained message of each topic for the flow bus of a node: installed with
 * {@link FlowBus#retainWith}, it sees every message published on that node's bus with its retain flag
 * set, whoever published it (an MQTT client of the broker, a gRPC {@code Publish}, a bus handler).
 * Its methods may be called on any thread.
 */
public interface FlowRetainer {

  /**
   * Whether {@code message} may be retained; called before the bus routes it. Fails with a
   * {@link io.flowsdk.FlowException} (for a cap, {@code OVERLOADED}) to refuse the whole publish.
   */
  Future<Void> admit(FlowMessage message);

  /**
   * Stores {@code message} as its topic's retained message, or clears the topic's when the payload is
   * empty; called in publish order once {@link #admit} succeeded. The publish completes only after it.
   */
  Future<Void> retain(FlowMessage message);
}
