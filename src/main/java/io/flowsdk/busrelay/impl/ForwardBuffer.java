package io.flowsdk.busrelay.impl;

import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.util.BoundedQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * The store-and-forward buffer: outbound messages in arrival order, bounded by a message count and a
 * payload byte count. At either limit the {@link OverflowPolicy} names what goes; the owner fails and
 * counts it. Messages taken back after a broken stream go in front again, beyond the limits (they were
 * admitted once). Lives on the relay's context.
 */
final class ForwardBuffer {

  private final BoundedQueue<Outgoing> queue;
  private final long maxBytes;
  private final OverflowPolicy policy;
  private long bytes;

  ForwardBuffer(int maxMessages, long maxBytes, OverflowPolicy policy) {
    this.queue = new BoundedQueue<>(maxMessages, policy.victim(), o -> o.message().priority());
    this.maxBytes = maxBytes;
    this.policy = policy;
  }

  /** Adds {@code item}; returns what was dropped to stay within the limits, possibly {@code item} itself. */
  List<Outgoing> offer(Outgoing item) {
    List<Outgoing> dropped = new ArrayList<>();
    while (bytes + item.bytes() > maxBytes) {
      Outgoing victim = byteVictim(item);
      dropped.add(victim);
      if (victim == item) {
        return dropped;
      }
      remove(victim);
    }
    Outgoing overCount = queue.offer(item);
    bytes += item.bytes();
    if (overCount != null) {
      bytes -= overCount.bytes();
      dropped.add(overCount);
    }
    return dropped;
  }

  /** Like {@link BoundedQueue}'s choice at its count limit, for the byte limit. */
  private Outgoing byteVictim(Outgoing arriving) {
    if (queue.isEmpty() || policy == OverflowPolicy.DROP_NEWEST) {
      return arriving;
    }
    Outgoing lowest = null;
    for (Outgoing queued : queue) {
      if (policy == OverflowPolicy.DROP_OLDEST) {
        return queued;
      }
      if (lowest == null || queued.message().priority() < lowest.message().priority()) {
        lowest = queued;
      }
    }
    return arriving.message().priority() < lowest.message().priority() ? arriving : lowest;
  }

  private void remove(Outgoing item) {
    queue.removeIf(o -> o == item);
    bytes -= item.bytes();
  }

  void addFirst(Outgoing item) {
    queue.addFirst(item);
    bytes += item.bytes();
  }

  Outgoing poll() {
    Outgoing o = queue.poll();
    if (o != null) {
      bytes -= o.bytes();
    }
    return o;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  long bytes() {
    return bytes;
  }

  /** Empties the buffer, returning what it held. */
  List<Outgoing> drain() {
    List<Outgoing> all = new ArrayList<>();
    for (Outgoing o = poll(); o != null; o = poll()) {
      all.add(o);
    }
    return all;
  }
}
