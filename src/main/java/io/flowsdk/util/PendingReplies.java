package io.flowsdk.util;

import io.flowsdk.FlowException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Requests waiting for their reply, by correlation id, each for the same timeout (one timer serves
 * them all, see {@link Deadlines}). Lives on its owner's context.
 */
public final class PendingReplies<V> {

  private final Deadlines<Waiting<V>> waiting;

  public PendingReplies(Vertx vertx, long timeoutMillis) {
    this.waiting = new Deadlines<>(vertx, timeoutMillis, w -> w.reply.tryFail(w.timedOut.get()));
  }

  public int size() {
    return waiting.size();
  }

  /**
   * A new waiting request: its correlation id, and the future that {@link #complete} ends, or
   * {@code timedOut}'s failure after the timeout.
   */
  public Waiting<V> add(Supplier<FlowException> timedOut) {
    Waiting<V> w = new Waiting<>(timedOut);
    w.id = waiting.add(w);
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
    waiting.removeAll().forEach(w -> w.reply.tryFail(failure));
  }

  /** One waiting request. */
  public static final class Waiting<V> {
    private long id;
    private final Promise<V> reply = Promise.promise();
    private final Supplier<FlowException> timedOut;

    private Waiting(Supplier<FlowException> timedOut) {
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
