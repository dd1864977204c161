package io.flowsdk.grpc.impl;

import io.flowsdk.grpc.StreamOverflowPolicy;
import io.flowsdk.util.BoundedQueue;

/**
 * The bounded buffer of one subscribe stream: deliveries wait here while the client does not read.
 * At capacity the {@link StreamOverflowPolicy} decides what is dropped; redeliveries go to the front
 * and may exceed the capacity by at most the unacknowledged window, which bounds them.
 */
final class DeliveryQueue {

  private final BoundedQueue<PendingDelivery> queue;
  private final StreamOverflowPolicy policy;
  private boolean overflowed;

  DeliveryQueue(int capacity, StreamOverflowPolicy policy) {
    this.queue = new BoundedQueue<>(capacity,
      policy == StreamOverflowPolicy.DROP_OLDEST ? BoundedQueue.Victim.OLDEST : BoundedQueue.Victim.ARRIVING, d -> 0);
    this.policy = policy;
  }

  /**
   * Adds {@code delivery} and returns what was dropped to respect the capacity: null when it fit,
   * the oldest delivery for {@code DROP_OLDEST}, {@code delivery} itself for {@code DROP_NEWEST} and
   * {@code END_STREAM} (which also marks the queue {@link #overflowed()}).
   */
  PendingDelivery offer(PendingDelivery delivery) {
    PendingDelivery dropped = queue.offer(delivery);
    if (dropped != null && policy == StreamOverflowPolicy.END_STREAM) {
      overflowed = true;
    }
    return dropped;
  }

  /** Puts a delivery to be sent again in front of the others, whatever the capacity. */
  void requeue(PendingDelivery delivery) {
    queue.addFirst(delivery);
  }

  PendingDelivery poll() {
    return queue.poll();
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
