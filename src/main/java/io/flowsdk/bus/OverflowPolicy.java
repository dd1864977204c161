package io.flowsdk.bus;

import io.flowsdk.util.BoundedQueue;

/**
 * What a bounded buffer does when a message arrives and it is full. Whatever is dropped is counted
 * in {@code flowsdk_bus_dropped_total}, and a dropped QoS 1/2 message fails its publisher's future
 * with {@link io.flowsdk.FlowError#OVERLOADED} instead of vanishing.
 */
public enum OverflowPolicy {
  /** Drop the oldest buffered message to make room. */
  DROP_OLDEST,
  /** Drop the arriving message. */
  DROP_NEWEST,
  /** Drop the lowest-priority message (the oldest among equals), possibly the arriving one. */
  DROP_LOWEST_PRIORITY;

  /** What a {@link BoundedQueue} under this policy gives up when full. */
  public BoundedQueue.Victim victim() {
    switch (this) {
      case DROP_NEWEST:
        return BoundedQueue.Victim.ARRIVING;
      case DROP_OLDEST:
        return BoundedQueue.Victim.OLDEST;
      default:
        return BoundedQueue.Victim.LOWEST_PRIORITY;
    }
  }
}
