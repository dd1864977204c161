package io.flowsdk.grpc;

/**
 * What a subscribe stream does when its bounded buffer is full because the client reads slower than
 * messages arrive. Every application of the policy is counted in {@code flowsdk_grpc_dropped_total}
 * or {@code flowsdk_grpc_overflow_ended_total}; a dropped QoS 1/2 message fails its publisher with
 * {@link io.flowsdk.FlowError#OVERLOADED}.
 */
public enum StreamOverflowPolicy {
  /** Drop the oldest buffered message to make room for the arriving one. */
  DROP_OLDEST,
  /** Drop the arriving message. */
  DROP_NEWEST,
  /** End the stream with {@code RESOURCE_EXHAUSTED}; its subscriptions are removed. */
  END_STREAM
}
