package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.OfflineDropPolicy;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline buffer: publishes waiting to be sent, in FIFO order, bounded by a message count and a
 * payload byte count. At the limit the lowest priority present loses a message (the oldest or the
 * newest of that priority by {@link OfflineDropPolicy}); the new message itself is dropped when it is
 * of the lowest priority and the policy is {@code DROP_NEWEST}, or when it can never fit.
 */
final class PublishQueue {

  /** One buffered publish. */
  static final class Entry {
    final PublishRequest request;
    final Promise<PublishAck> promise;
    final long enqueuedAt;
    boolean live = true;

    Entry(PublishRequest request, Promise<PublishAck> promise, long enqueuedAt) {
      this.request = request;
      this.promise = promise;
      this.enqueuedAt = enqueuedAt;
    }
  }

  private final int maxMessages;
  private final long maxBytes;
  private final OfflineDropPolicy policy;
  private final ArrayDeque<Entry> fifo = new ArrayDeque<>();
  @SuppressWarnings("unchecked")
  private final ArrayDeque<Entry>[] byPriority = new ArrayDeque[256];
  private final int[] liveByPriority = new int[256];
  private int size;
  private long bytes;

  PublishQueue(int maxMessages, long maxBytes, OfflineDropPolicy policy) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.policy = policy;
  }

  /**
   * Adds {@code entry}, dropping what the policy says to make room. Returns the dropped entries
   * (possibly {@code entry} itself); the caller fails their promises.
   */
  List<Entry> offer(Entry entry) {
    int len = entry.request.payload().length();
    if (maxMessages == 0 || len > maxBytes) {
      return List.of(entry);
    }
    List<Entry> dropped = List.of();
    int priority = entry.request.priority();
    while (size >= maxMessages || bytes + len > maxBytes) {
      if (dropped.isEmpty()) {
        dropped = new ArrayList<>(1);
      }
      int lowest = lowestPriority();
      if (lowest > priority || (lowest == priority && policy == OfflineDropPolicy.DROP_NEWEST)) {
        dropped.add(entry);
        return dropped;
      }
      dropped.add(removeFrom(lowest, policy == OfflineDropPolicy.DROP_OLDEST));
    }
    fifo.addLast(entry);
    deque(priority).addLast(entry);
    liveByPriority[priority]++;
    size++;
    bytes += len;
    compactIfSparse();
    return dropped;
  }

  /** The oldest buffered publish without removing it, or null. */
  Entry peek() {
    Entry head = fifo.peekFirst();
    while (head != null && !head.live) {
      fifo.pollFirst();
      head = fifo.peekFirst();
    }
    return head;
  }

  /** Removes and returns the oldest buffered publish, or null. */
  Entry poll() {
    Entry head = peek();
    if (head == null) {
      return null;
    }
    fifo.pollFirst();
    int p = head.request.priority();
    ArrayDeque<Entry> d = byPriority[p];
    // FIFO within a priority: the oldest live entry of its priority is this one
    while (d.peekFirst() != head) {
      d.pollFirst();
    }
    d.pollFirst();
    unlink(head);
    return head;
  }

  /** Removes everything; the caller fails the promises. */
  List<Entry> drain() {
    List<Entry> all = new ArrayList<>(size);
    Entry e;
    while ((e = poll()) != null) {
      all.add(e);
    }
    return all;
  }

  int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return size == 0;
  }

  private Entry removeFrom(int priority, boolean oldest) {
    ArrayDeque<Entry> d = byPriority[priority];
    Entry e = oldest ? d.pollFirst() : d.pollLast();
    while (!e.live) {
      e = oldest ? d.pollFirst() : d.pollLast();
    }
    unlink(e);
    return e;
  }

  private void unlink(Entry e) {
    e.live = false;
    liveByPriority[e.request.priority()]--;
    size--;
    bytes -= e.request.payload().length();
  }

  private int lowestPriority() {
    for (int p = 0; p < 256; p++) {
      if (liveByPriority[p] > 0) {
        return p;
      }
    }
    return 256;
  }

  private ArrayDeque<Entry> deque(int priority) {
    ArrayDeque<Entry> d = byPriority[priority];
    if (d == null) {
      d = new ArrayDeque<>();
      byPriority[priority] = d;
    }
    return d;
  }

  /** Dropped-newest entries stay in the FIFO as dead slots; keep them from outnumbering live ones. */
  private void compactIfSparse() {
    if (fifo.size() > 2 * size + 16) {
      fifo.removeIf(e -> !e.live);
    }
  }
}
