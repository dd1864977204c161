package io.flowsdk.util;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingRepliesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  /** Runs {@code action} on one event-loop context, as the owner of the replies would. */
  private <T> T onContext(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenRequestsWaiting_whenOneIsAnsweredAndTheOtherNot_thenTheOtherFailsWithItsOwnTimeoutAndALateAnswerFindsNothing() throws Exception {
    PendingReplies<String> replies = onContext(() -> new PendingReplies<>(vertx, 100));
    PendingReplies.Waiting<String> answered = onContext(() -> replies.add(() -> new FlowException(FlowError.TIMEOUT, "first")));
    PendingReplies.Waiting<String> unanswered = onContext(() -> replies.add(() -> new FlowException(FlowError.TIMEOUT, "second")));

    assertTrue(onContext(() -> replies.complete(answered.id(), Future.succeededFuture("yes"))));

    assertEquals("yes", join(answered.reply()));
    FlowException e = failure(unanswered.reply());
    assertEquals(FlowError.TIMEOUT, e.error());
    assertEquals("second", e.getMessage());
    assertFalse(onContext(() -> replies.complete(unanswered.id(), Future.succeededFuture("late"))));
    assertEquals(0, (int) onContext(replies::size));
  }

  @Test
  void givenRequestsWaiting_whenAllFail_thenEachGetsTheFailureAndNoneIsLeft() throws Exception {
    PendingReplies<String> replies = onContext(() -> new PendingReplies<>(vertx, 60_000));
    PendingReplies.Waiting<String> w = onContext(() -> replies.add(() -> new FlowException(FlowError.TIMEOUT, "t")));

    onContext(() -> {
      replies.failAll(new FlowException(FlowError.CANCELLED, "stopped"));
      return null;
    });

    assertEquals("stopped", failure(w.reply()).getMessage());
    assertEquals(0, (int) onContext(replies::size));
  }
}
