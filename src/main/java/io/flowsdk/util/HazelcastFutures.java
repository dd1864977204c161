package io.flowsdk.util;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hazelcast's async calls as Vert.x futures, without Hazelcast's default callback executor.
 *
 * <p>Hazelcast 5.3 runs every callback of its futures, {@code whenComplete} and {@code thenCompose} included, on its
 * default async executor: {@code ForkJoinPool.commonPool()}, or, where the common pool has no parallelism (2 CPUs
 * or fewer, as in many containers and small VMs), <b>a new thread per callback</b>. Vert.x's
 * {@code Future.fromCompletionStage} uses {@code whenComplete}, so each map operation of a queue, a table, a
 * persistent session or a route started a thread. The callback here only completes a promise, which hands its
 * result to the caller's context, so it runs on the Hazelcast thread that completes the call, as Hazelcast's own
 * code does with its internal {@code CALLER_RUNS}. Chain further Hazelcast calls on the returned future, never on
 * the stage: a Hazelcast response thread may not make a remote call.
 */
public final class HazelcastFutures {

  /** Runs the callback on the thread that completes the stage. */
  private static final Executor COMPLETING_THREAD = Runnable::run;

  private HazelcastFutures() {
  }

  /** {@code stage} as a future whose listeners run on {@code context}. */
  public static <T> Future<T> on(Context context, CompletionStage<T> stage) {
    Promise<T> promise = ((ContextInternal) context).promise();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }, COMPLETING_THREAD);
    return promise.future();
  }
}
