package io.flowsdk.grpc.impl;

import io.flowsdk.grpc.StreamOverflowPolicy;

import java.util.ArrayDeque;

/**
 * The bounded buffer of one subscribe stream: deliveries wait here while the client does not read.
 * At capacity the {@link StreamOverflowPolicy} decides what is dropped; redeliveries go to the front
 * and may exceed the capacity by at most the unacknowledged window, which bounds them.
 */
final class DeliveryQueue {

  private final ArrayDeque<PendingDelivery> queue = new ArrayDeque<>();
  private final int capacity;
  private final StreamOverflowPolicy policy;
  private boolean overflowed;

  DeliveryQueue(int capacity, StreamOverflowPolicy policy) {
    this.capacity = capacity;
    this.policy = policy;
  }

  /**
   * Adds {@code delivery} and returns what was dropped to respect the capacity: null when it fit,
   * the oldest delivery for {@code DROP_OLDEST}, {@code delivery} itself for {@code DROP_NEWEST} and
   * {@code END_STREAM} (which also marks the queue {@link #overflowed()}).
   */
  PendingDelivery offer(PendingDelivery delivery) {
    if (queue.size() < capacity) {
      queue.addLast(delivery);
      return null;
    }
    switch (policy) {
      case DROP_OLDEST:
        PendingDelivery oldest = queue.pollFirst();
        queue.addLast(delivery);
        return oldest;
      case DROP_NEWEST:
        return delivery;
      default:
        overflowed = true;
        return delivery;
    }
  }

  /** Puts a delivery to be sent again in front of the others, whatever the capacity. */
  void requeue(PendingDelivery delivery) {
    queue.addFirst(delivery);
  }

  PendingDelivery poll() {
    return queue.pollFirst();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  /** True once an {@code END_STREAM} policy refused a delivery. */
  boolean overflowed() {
    return overflowed;
  }

  StreamOverflowPolicy policy() {
    return policy;
  }
}
