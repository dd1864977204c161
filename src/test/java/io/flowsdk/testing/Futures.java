package io.flowsdk.testing;

import io.flowsdk.FlowException;
import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Waiting for Vert.x futures from a test thread, with a bound. */
public final class Futures {

  private Futures() {
  }

  /** The result of {@code future}, waiting at most 20 seconds. */
  public static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The {@link FlowException} {@code future} fails with; fails the test if it succeeds or fails otherwise. */
  public static FlowException failure(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> join(future));
    assertTrue(e.getCause() instanceof FlowException, "expected a FlowException, got " + e.getCause());
    return (FlowException) e.getCause();
  }
}
