package io.flowsdk.queue;

import io.flowsdk.FlowError;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedQueueTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private FlowStore store;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    store = openStore();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(store.close());
    join(vertx.close());
  }

  private FlowStore openStore() throws Exception {
    return join(FlowStore.open(vertx, new StoreOptions().setPath(dir.resolve("q.mv").toString())));
  }

  private FlowQueue queue(QueueOptions options) throws Exception {
    return join(FlowQueue.embedded(vertx, "jobs", store, options));
  }

  private static String payload(Optional<QueueItem> item) {
    return item.orElseThrow().payload().toString();
  }

  @Test
  void givenItemsOfSeveralPriorities_whenReceived_thenHigherFirstAndFifoWithinAPriority() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    for (String[] item : new String[][] {{"low-1", "1"}, {"high-1", "200"}, {"low-2", "1"}, {"high-2", "200"}, {"mid", "128"}}) {
      join(q.enqueue(Buffer.buffer(item[0]), Integer.parseInt(item[1]), Duration.ZERO));
    }
    List<String> order = new ArrayList<>();
    for (Optional<QueueItem> item = join(q.receive()); item.isPresent(); item = join(q.receive())) {
      order.add(payload(item));
      join(q.ack(item.get().receipt()));
    }
    assertEquals(List.of("high-1", "high-2", "mid", "low-1", "low-2"), order);
    assertEquals(0, join(q.size()));
  }

  @Test
  void givenAnUnacknowledgedItem_whenItsVisibilityTimeoutRunsOut_thenItIsDeliveredAgainAndTheOldReceiptIsRefused() throws Exception {
    FlowQueue q = queue(new QueueOptions().setVisibilityTimeoutMillis(200));
    join(q.enqueue(Buffer.buffer("job"), 128, Duration.ZERO));
    QueueItem first = join(q.receive()).orElseThrow();
    assertEquals(1, first.attempt());
    assertTrue(join(q.receive()).isEmpty(), "invisible while in flight");
    QueueItem second = await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow();
    assertEquals(2, second.attempt());
    var e = failure(q.ack(first.receipt()));
    assertEquals(FlowError.NO_ROUTE, e.error());
    assertEquals("queue jobs: '" + first.receipt() + "' is not an item in flight (acknowledged, or its visibility timeout ran out)", e.getMessage());
    join(q.ack(second.receipt()));
  }

  @Test
  void givenAnExtendedItem_thenItStaysInvisiblePastTheVisibilityTimeout() throws Exception {
    FlowQueue q = queue(new QueueOptions().setVisibilityTimeoutMillis(300));
    join(q.enqueue(Buffer.buffer("job"), 128, Duration.ZERO));
    QueueItem item = join(q.receive()).orElseThrow();
    join(q.extend(item.receipt(), Duration.ofSeconds(30)));
    long until = System.currentTimeMillis() + 800;
    while (System.currentTimeMillis() < until) {
      assertTrue(join(q.receive()).isEmpty(), "an extended item was delivered again");
    }
    join(q.ack(item.receipt()));
  }

  @Test
  void givenANackWithADelay_thenTheItemComesBackAfterTheDelay() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    join(q.enqueue(Buffer.buffer("job"), 128, Duration.ZERO));
    QueueItem item = join(q.receive()).orElseThrow();
    long nacked = System.currentTimeMillis();
    join(q.nack(item.receipt(), Duration.ofMillis(300)));
    QueueItem again = await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow();
    assertTrue(System.currentTimeMillis() - nacked >= 300);
    assertEquals(2, again.attempt());
  }

  @Test
  void givenADelayedItem_thenItIsInvisibleUntilTheDelayHasPassed() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    long start = System.currentTimeMillis();
    join(q.enqueue(Buffer.buffer("later"), 128, Duration.ofMillis(300)));
    join(q.enqueue(Buffer.buffer("now"), 0, Duration.ZERO));
    assertEquals("now", payload(join(q.receive())));
    assertEquals("later", payload(await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent)));
    assertTrue(System.currentTimeMillis() - start >= 300);
  }

  @Test
  void givenAnItemNeverAcknowledged_whenItsAttemptsAreUsedUp_thenItMovesToTheDeadLetterQueue() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(2).setVisibilityTimeoutMillis(100));
    String id = join(q.enqueue(Buffer.buffer("poison"), 128, Duration.ZERO));
    assertEquals(1, join(q.receive()).orElseThrow().attempt());
    assertEquals(2, await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow().attempt());
    await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()).isEmpty() && join(q.size()) == 0);
    Buffer dead = join(store.get("queue.jobs.dlq", id)).orElseThrow();
    assertTrue(dead.toString().endsWith("poison"));
    assertEquals(2, dead.getInt(9), "the dead letter keeps its delivery count");
  }

  @Test
  void givenAFullQueue_whenEnqueueing_thenItIsRefusedWithOverloaded() throws Exception {
    FlowQueue q = queue(new QueueOptions().setCapacity(2));
    join(Future.all(q.enqueue(Buffer.buffer("1"), 1, Duration.ZERO), q.enqueue(Buffer.buffer("2"), 1, Duration.ZERO)));
    var e = failure(q.enqueue(Buffer.buffer("3"), 1, Duration.ZERO));
    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("queue jobs is full (capacity 2 items)", e.getMessage());
  }

  @Test
  void givenItemsAndOneInFlight_whenTheStoreIsReopened_thenAllAreBackAndTheInFlightOneKeepsItsAttempt() throws Exception {
    FlowQueue q = queue(new QueueOptions().setVisibilityTimeoutMillis(300));
    for (int i = 0; i < 3; i++) {
      join(q.enqueue(Buffer.buffer("item-" + i), 128, Duration.ZERO));
    }
    assertEquals("item-0", payload(join(q.receive())));
    join(store.close());
    store = openStore();
    FlowQueue reopened = queue(new QueueOptions().setVisibilityTimeoutMillis(300));
    assertEquals(3, join(reopened.size()));
    List<String> got = new ArrayList<>();
    QueueItem redelivered = null;
    while (got.size() < 3) {
      Optional<QueueItem> item = join(reopened.receive());
      if (item.isPresent()) {
        got.add(item.get().payload().toString());
        if (item.get().payload().toString().equals("item-0")) {
          redelivered = item.get();
        }
      }
    }
    assertEquals(List.of("item-1", "item-2", "item-0"), got);
    assertEquals(2, redelivered.attempt());
  }
}
