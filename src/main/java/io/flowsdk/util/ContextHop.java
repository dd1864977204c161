package io.flowsdk.util;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.function.Supplier;

/** Runs an operation on an owner's context (where its state lives) and answers on the caller's. */
public final class ContextHop {

  private ContextHop() {
  }

  /**
   * Starts {@code op} on {@code owner} in call order; the returned future completes on the context of
   * the caller of this method. A thrown exception fails the future.
   */
  public static <T> Future<T> runOn(Vertx vertx, Context owner, Supplier<Future<T>> op) {
    Promise<T> promise = ((ContextInternal) vertx.getOrCreateContext()).promise();
    owner.runOnContext(v -> {
      try {
        op.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
