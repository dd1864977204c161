package io.flowsdk.util;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A FIFO queue of at most {@code capacity} items that, when full, drops one item to take the
 * arriving one: the one its {@link Victim} names. It only chooses; the owner fails, counts and
 * reports what was dropped. Not thread-safe: it lives on its owner's context.
 */
public final class BoundedQueue<T> implements Iterable<T> {

  /** Which item a full queue gives up. */
  public enum Victim {
    /** The oldest item: fresh data wins. */
    OLDEST,
    /** The arriving item: what is queued wins. */
    ARRIVING,
    /** The oldest item of the lowest priority, the arriving one included (it loses only to strictly higher ones). */
    LOWEST_PRIORITY
  }

  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final int capacity;
  private final Victim victim;
  private final ToIntFunction<T> priority;

  /** {@code priority} is read only for {@link Victim#LOWEST_PRIORITY}. */
  public BoundedQueue(int capacity, Victim victim, ToIntFunction<T> priority) {
    this.capacity = capacity;
    this.victim = victim;
    this.priority = priority;
  }

  /** Adds {@code item}; returns what was dropped to stay within the capacity: null when it fit, else the victim (maybe {@code item}). */
  public T offer(T item) {
    if (items.size() < capacity) {
      items.addLast(item);
      return null;
    }
    T dropped;
    switch (victim) {
      case ARRIVING:
        return item;
      case OLDEST:
        dropped = items.pollFirst();
        break;
      default:
        dropped = lowestPriority(item);
        if (dropped == item) {
          return item;
        }
        items.remove(dropped);
    }
    items.addLast(item);
    return dropped;
  }

  private T lowestPriority(T arriving) {
    T lowest = arriving;
    int lowestPriority = priority.applyAsInt(arriving);
    for (T queued : items) {
      int p = priority.applyAsInt(queued);
      if (lowest == arriving ? p <= lowestPriority : p < lowestPriority) {
        lowest = queued;
        lowestPriority = p;
      }
    }
    return lowest;
  }

  /** Puts {@code item} in front of the others, whatever the capacity (an item taken back to be sent again). */
  public void addFirst(T item) {
    items.addFirst(item);
  }

  public T poll() {
    return items.pollFirst();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public boolean isFull() {
    return items.size() >= capacity;
  }

  public int size() {
    return items.size();
  }

  public void removeIf(Predicate<T> filter) {
    items.removeIf(filter);
  }

  public void clear() {
    items.clear();
  }

  @Override
  public Iterator<T> iterator() {
    return items.iterator();
  }
}
