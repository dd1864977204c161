package io.flowsdk.queue.impl;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the capacity counts: every item once, indexed or being stored. */
class QueueIndexTest {

  private static ItemRecord record(int attempts) {
    return new ItemRecord(1, 0, attempts, 0, 0, Buffer.buffer("job"));
  }

  @Test
  void givenAnItemIndexedBeforeItsStoreAnswers_thenItCountsOnceUntilReleasedAndAfter() {
    QueueIndex index = new QueueIndex(id -> true);
    index.reserve("a");
    assertEquals(1, index.occupied(), "being stored");

    index.put("a", record(0)); // the entry listener was first
    index.put("a", record(1)); // and heard of its delivery too
    assertEquals(1, index.occupied());

    index.release("a");
    assertEquals(1, index.occupied(), "stored and indexed");
    index.remove("a");
    assertEquals(0, index.occupied());
  }

  @Test
  void givenAnItemBeingEvicted_thenItsPlaceCountsUntilReleased() {
    QueueIndex index = new QueueIndex(id -> true);
    index.put("victim", record(0));
    index.remove("victim");
    index.reserve("victim");
    index.reserve("new");
    assertEquals(2, index.occupied());

    index.release("victim");
    assertEquals(1, index.occupied());
    index.release("new");
    assertEquals(0, index.occupied(), "nothing stored, nothing indexed");
  }
}
