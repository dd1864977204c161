package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.OverflowPolicy;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Deliveries of one session waiting for the client's in-flight window or for the client to come
 * back, at most {@code capacity}; at the limit the overflow policy picks the one to drop.
 */
final class SessionQueue {

  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private final int capacity;
  private final OverflowPolicy policy;

  SessionQueue(int capacity, OverflowPolicy policy) {
    this.capacity = capacity;
    this.policy = policy;
  }

  /** Adds {@code delivery}; returns the delivery dropped to make room (possibly {@code delivery}), or null. */
  Delivery offer(Delivery delivery) {
    if (queue.size() < capacity) {
      queue.addLast(delivery);
      return null;
    }
    switch (policy) {
      case DROP_NEWEST:
        return delivery;
      case DROP_LOWEST_PRIORITY:
        Delivery lowest = lowestPriority();
        if (lowest == null || lowest.message.priority() >= delivery.message.priority()) {
          return delivery;
        }
        queue.remove(lowest);
        queue.addLast(delivery);
        return lowest;
      default:
        Delivery oldest = queue.pollFirst();
        queue.addLast(delivery);
        return oldest;
    }
  }

  /** The oldest of the lowest-priority deliveries. */
  private Delivery lowestPriority() {
    Delivery lowest = null;
    for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
      Delivery d = it.next();
      if (lowest == null || d.message.priority() < lowest.message.priority()) {
        lowest = d;
      }
    }
    return lowest;
  }

  Delivery poll() {
    return queue.pollFirst();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  void clear() {
    queue.clear();
  }
}
