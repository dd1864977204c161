package io.flowsdk.queue.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which items of a queue are ready, in priority then enqueue order (within a priority the preferred
 * items first: in a cluster those this member owns), and which wait for a time (delayed, or in
 * flight until their visibility timeout). Not thread-safe: the queue's context owns it. The payloads
 * stay in the store.
 */
final class QueueIndex {

  /** One item's place in the index. */
  static final class Slot {
    final String id;
    final long seq;
    final int priority;
    final boolean preferred;
    int attempts;
    long visibleAt;

    Slot(String id, ItemRecord r, boolean preferred) {
      this.id = id;
      this.seq = r.seq;
      this.priority = r.priority;
      this.preferred = preferred;
      this.attempts = r.attempts;
      this.visibleAt = r.visibleAt;
    }

    /** A probe that sorts before every ready item of {@code priority} (of those {@code preferred} or not). */
    private Slot(int priority, boolean preferred) {
      this.id = "";
      this.seq = Long.MIN_VALUE;
      this.priority = priority;
      this.preferred = preferred;
    }
  }

  private final Predicate<String> preferred;
  private final Map<String, Slot> slots = new HashMap<>();
  private final TreeSet<Slot> ready = new TreeSet<>(Comparator.<Slot>comparingInt(s -> -s.priority)
    .thenComparing(s -> !s.preferred).thenComparingLong(s -> s.seq).thenComparing(s -> s.id));
  private final TreeSet<Slot> waiting = new TreeSet<>(Comparator.<Slot>comparingLong(s -> s.visibleAt).thenComparingLong(s -> s.seq)
    .thenComparing(s -> s.id));
  /**
   * Items being stored (and places of items being evicted), which count against the capacity. The entry listener or
   * a merge can index an item before its store call has answered: counted once then, as indexed.
   */
  private final Set<String> reserved = new HashSet<>();
  /** How many of {@link #reserved} are indexed. */
  private int reservedAndIndexed;

  /** {@code preferred} says, when an item is indexed, whether it goes before the others of its priority. */
  QueueIndex(Predicate<String> preferred) {
    this.preferred = preferred;
  }

  int size() {
    return slots.size();
  }

  /** The items indexed and reserved, each once: what the capacity counts. */
  int occupied() {
    return slots.size() + reserved.size() - reservedAndIndexed;
  }

  /** Counts {@code id} against the capacity until {@link #release}, indexed or not. */
  void reserve(String id) {
    if (reserved.add(id) && slots.containsKey(id)) {
      reservedAndIndexed++;
    }
  }

  void release(String id) {
    if (reserved.remove(id) && slots.containsKey(id)) {
      reservedAndIndexed--;
    }
  }

  /** Counts every indexed item into {@code counts}. */
  void countInto(ItemCounts counts) {
    slots.values().forEach(slot -> counts.add(slot.attempts, slot.visibleAt));
  }

  boolean contains(String id) {
    return slots.containsKey(id);
  }

  Slot get(String id) {
    return slots.get(id);
  }

  /**
   * Adds the item or replaces what is known of it; it is ready once {@code r.visibleAt} has passed.
   * A record of fewer deliveries than the index knows of is older news and is ignored.
   */
  void put(String id, ItemRecord r) {
    Slot known = slots.get(id);
    if (known != null && known.attempts > r.attempts) {
      return;
    }
    remove(id);
    Slot slot = new Slot(id, r, known != null ? known.preferred : preferred.test(id));
    slots.put(id, slot);
    waiting.add(slot);
    if (reserved.contains(id)) {
      reservedAndIndexed++;
    }
  }

  void remove(String id) {
    Slot slot = slots.remove(id);
    if (slot != null) {
      ready.remove(slot);
      waiting.remove(slot);
      if (reserved.contains(id)) {
        reservedAndIndexed--;
      }
    }
  }

  /** The slot of an item known to be in flight with {@code attempt}, else null. */
  Slot inFlight(String id, int attempt, long now) {
    Slot slot = slots.get(id);
    return slot != null && slot.attempts == attempt && slot.visibleAt > now && waiting.contains(slot) ? slot : null;
  }

  /** Makes the item wait until {@code visibleAt} (in flight, nacked, extended); the attempts are {@code attempts}. */
  void hold(Slot slot, int attempts, long visibleAt) {
    ready.remove(slot);
    waiting.remove(slot);
    slot.attempts = attempts;
    slot.visibleAt = visibleAt;
    waiting.add(slot);
  }

  /** Takes the best ready item out of the ready set (it stays indexed until held or removed), or null. */
  Slot next(long now) {
    promote(now);
    return ready.pollFirst();
  }

  private void promote(long now) {
    while (!waiting.isEmpty() && waiting.first().visibleAt <= now) {
      ready.add(waiting.pollFirst());
    }
  }

  /** The ready item enqueued first, whatever its priority, or null; it stays indexed. */
  Slot oldestReady(long now) {
    promote(now);
    Slot oldest = null;
    for (Slot bucket = ready.isEmpty() ? null : ready.first(); bucket != null; bucket = ready.ceiling(new Slot(bucket.priority - 1, true))) {
      oldest = older(oldest, oldestOf(bucket.priority));
    }
    return oldest;
  }

  /** The ready item of the lowest priority, the oldest among equals, or null; it stays indexed. */
  Slot lowestPriorityReady(long now) {
    promote(now);
    return ready.isEmpty() ? null : oldestOf(ready.last().priority);
  }

  /** The oldest ready item of {@code priority} (the first preferred one or the first other one), or null. */
  private Slot oldestOf(int priority) {
    Slot oldest = null;
    for (boolean preferred : new boolean[] {true, false}) {
      Slot first = ready.ceiling(new Slot(priority, preferred));
      if (first != null && first.priority == priority) {
        oldest = older(oldest, first);
      }
    }
    return oldest;
  }

  private static Slot older(Slot a, Slot b) {
    return a == null || (b != null && b.seq < a.seq) ? b : a;
  }

  /**
   * The ids of up to {@code limit} items in delivery order, the first {@code offset} left out: the ready ones best
   * first, then the waiting ones by when.
   */
  List<String> idsInOrder(long now, int offset, int limit) {
    promote(now);
    List<String> ids = new ArrayList<>(Math.max(0, Math.min(limit, slots.size() - offset)));
    int skipped = 0;
    for (TreeSet<Slot> set : List.of(ready, waiting)) {
      for (Slot slot : set) {
        if (ids.size() == limit) {
          return ids;
        }
        if (skipped < offset) {
          skipped++;
        } else {
          ids.add(slot.id);
        }
      }
    }
    return ids;
  }

  /** Puts a slot taken by {@link #next} back among the ready ones (its claim could not be decided). */
  void retry(Slot slot) {
    if (slots.get(slot.id) == slot && !waiting.contains(slot)) {
      ready.add(slot);
    }
  }
}
