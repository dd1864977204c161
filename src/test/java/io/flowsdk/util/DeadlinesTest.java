package io.flowsdk.util;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlinesTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> expired = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private <T> T onContext(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenItemsAddedAtDifferentTimes_whenTheirTimeoutsPass_thenEachExpiresInOrderNoSoonerThanItsOwnDeadline() throws Exception {
    Map<String, Long> addedAt = new ConcurrentHashMap<>();
    Map<String, Long> expiredAt = new ConcurrentHashMap<>();
    Deadlines<String> deadlines = onContext(() -> new Deadlines<>(vertx, 150, item -> {
      expiredAt.put(item, System.nanoTime());
      expired.add(item);
    }));
    onContext(() -> {
      addedAt.put("first", System.nanoTime());
      deadlines.add("first");
      return vertx.setTimer(80, t -> {
        addedAt.put("second", System.nanoTime());
        deadlines.add("second");
      });
    });

    await().atMost(5, TimeUnit.SECONDS).until(() -> expired.size() == 2);
    assertEquals(List.of("first", "second"), expired);
    for (String item : expired) {
      assertTrue(expiredAt.get(item) - addedAt.get(item) >= 150_000_000, item + " expired no sooner than its own deadline");
    }
    assertTrue(expiredAt.get("second") - expiredAt.get("first") >= 50_000_000, "the second waited for its own deadline");
    assertEquals(0, (int) onContext(deadlines::size));
  }

  @Test
  void givenAnItemRemovedBeforeItsDeadline_whenTheTimerFires_thenOnlyTheOthersExpire() throws Exception {
    Deadlines<String> deadlines = onContext(() -> new Deadlines<>(vertx, 100, expired::add));
    long kept = onContext(() -> deadlines.add("answered"));
    onContext(() -> deadlines.add("unanswered"));

    assertEquals("answered", onContext(() -> deadlines.remove(kept)));
    await().atMost(5, TimeUnit.SECONDS).until(() -> expired.size() == 1);
    assertEquals(List.of("unanswered"), expired);
    assertNull(onContext(() -> deadlines.remove(kept)), "an item is removed once");
  }

  @Test
  void givenItemsWaiting_whenAllAreRemoved_thenNoneExpiresLater() throws Exception {
    Deadlines<String> deadlines = onContext(() -> new Deadlines<>(vertx, 50, expired::add));
    onContext(() -> deadlines.add("a"));
    onContext(() -> deadlines.add("b"));

    assertEquals(List.of("a", "b"), onContext(deadlines::removeAll));
    long third = onContext(() -> deadlines.add("c"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> expired.size() == 1);
    assertEquals(List.of("c"), expired, "only the item added after removeAll expires; the cancelled timer fired nothing");
    assertNull(onContext(() -> deadlines.remove(third)));
  }
}
