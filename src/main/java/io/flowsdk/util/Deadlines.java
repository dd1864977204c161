package io.flowsdk.util;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Items that each expire the same time after they were added, unless removed first. They expire in
 * the order they came, so one timer, set for the oldest, serves them all: a timer per item costs a
 * registration and a cancellation on every round trip. Lives on its owner's context.
 */
public final class Deadlines<T> {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Consumer<T> onExpiry;
  private final LinkedHashMap<Long, Entry<T>> entries = new LinkedHashMap<>();
  private long nextId = 1;
  /** The timer for the oldest entry, or -1. */
  private long timerId = -1;

  /** {@code onExpiry} gets each item whose {@code timeoutMillis} passed before it was removed. */
  public Deadlines(Vertx vertx, long timeoutMillis, Consumer<T> onExpiry) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.onExpiry = onExpiry;
  }

  /** Adds {@code item}; its id, unique for this instance, removes it. */
  public long add(T item) {
    long id = nextId++;
    entries.put(id, new Entry<>(item, System.nanoTime() + timeoutMillis * 1_000_000));
    if (timerId < 0) {
      timerId = vertx.setTimer(Math.max(1, timeoutMillis), t -> expire());
    }
    return id;
  }

  /** Removes item {@code id}; null when it is not there (it expired, or was removed already). */
  public T remove(long id) {
    Entry<T> e = entries.remove(id);
    return e == null ? null : e.item;
  }

  /** Removes every item, none of them expired, and returns them in the order they came. */
  public List<T> removeAll() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    List<T> all = new ArrayList<>(entries.size());
    entries.values().forEach(e -> all.add(e.item));
    entries.clear();
    return all;
  }

  public int size() {
    return entries.size();
  }

  private void expire() {
    timerId = -1;
    long now = System.nanoTime();
    List<T> expired = new ArrayList<>();
    for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      long leftNanos = e.deadlineNanos - now;
      if (leftNanos > 0) {
        timerId = vertx.setTimer(Math.max(1, (leftNanos + 999_999) / 1_000_000), t -> expire());
        break;
      }
      it.remove();
      expired.add(e.item);
    }
    expired.forEach(onExpiry);
  }

  private record Entry<T>(T item, long deadlineNanos) {
  }
}
