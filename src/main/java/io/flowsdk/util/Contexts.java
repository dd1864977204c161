package io.flowsdk.util;

import io.flowsdk.FlowException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.util.function.Supplier;

/** Hops onto the context that owns some state, the one way every class here does it. */
public final class Contexts {

  private Contexts() {
  }

  /** Runs {@code task} at once when called on {@code owner}, else queues it there. */
  public static void run(Context owner, Runnable task) {
    if (ContextInternal.current() == owner) {
      task.run();
    } else {
      owner.runOnContext(v -> task.run());
    }
  }

  /**
   * Runs {@code action} on {@code owner}. The returned future completes on the caller's context
   * (when the caller has one), so callers never see their callbacks on another event loop; an
   * exception thrown by {@code action} fails it as a {@link FlowException}.
   */
  public static <T> Future<T> call(Context owner, Supplier<Future<T>> action) {
    ContextInternal caller = ContextInternal.current();
    if (caller == owner) {
      return guarded(action);
    }
    Promise<T> promise = caller != null ? caller.promise() : Promise.promise();
    owner.runOnContext(v -> guarded(action).onComplete(promise));
    return promise.future();
  }

  private static <T> Future<T> guarded(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(FlowException.from(e));
    }
  }
}
