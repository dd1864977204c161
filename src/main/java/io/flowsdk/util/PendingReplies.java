package io.flowsdk.util;

import io.flowsdk.FlowException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Requests waiting for their reply, by correlation id, each for the same timeout: they expire in the
 * order they came, so one timer, set for the oldest, serves them all (a timer per request costs a
 * registration and a cancellation on every round trip). Lives on its owner's context.
 */
public final class PendingReplies<V> {

  private final Vertx vertx;
  private final LinkedHashMap<Long, Waiting<V>> waiting = new LinkedHashMap<>();
  private final long timeoutMillis;
  private long nextId = 1;
  /** The timer for the oldest waiting request, or -1. */
  private long timerId = -1;

  public PendingReplies(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  public int size() {
    return waiting.size();
  }

  /**
   * A new waiting request: its correlation id, and the future that {@link #complete} ends, or
   * {@code timedOut}'s failure after the timeout.
   */
  public Waiting<V> add(Supplier<FlowException> timedOut) {
    Waiting<V> w = new Waiting<>(nextId++, System.nanoTime() + timeoutMillis * 1_000_000, timedOut);
    waiting.put(w.id, w);
    if (timerId < 0) {
      timerId = vertx.setTimer(Math.max(1, timeoutMillis), t -> expire());
    }
    return w;
  }

  /** Completes request {@code id}; false when it is not waiting (it timed out, or was answered already). */
  public boolean complete(long id, AsyncResult<V> outcome) {
    Waiting<V> w = waiting.remove(id);
    if (w == null) {
      return false;
    }
    w.reply.handle(outcome);
    return true;
  }

  /** Fails every waiting request with {@code failure}. */
  public void failAll(FlowException failure) {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    List<Waiting<V>> all = new ArrayList<>(waiting.values());
    waiting.clear();
    all.forEach(w -> w.reply.tryFail(failure));
  }

  private void expire() {
    timerId = -1;
    long now = System.nanoTime();
    List<Waiting<V>> expired = new ArrayList<>();
    for (Iterator<Waiting<V>> it = waiting.values().iterator(); it.hasNext(); ) {
      Waiting<V> w = it.next();
      long leftNanos = w.deadlineNanos - now;
      if (leftNanos > 0) {
        timerId = vertx.setTimer(Math.max(1, (leftNanos + 999_999) / 1_000_000), t -> expire());
        break;
      }
      it.remove();
      expired.add(w);
    }
    expired.forEach(w -> w.reply.tryFail(w.timedOut.get()));
  }

  /** One waiting request. */
  public static final class Waiting<V> {
    private final long id;
    private final Promise<V> reply = Promise.promise();
    private final long deadlineNanos;
    private final Supplier<FlowException> timedOut;

    private Waiting(long id, long deadlineNanos, Supplier<FlowException> timedOut) {
      this.id = id;
      this.deadlineNanos = deadlineNanos;
      this.timedOut = timedOut;
    }

    public long id() {
      return id;
    }

    public Future<V> reply() {
      return reply.future();
    }
  }
}
