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

class EmbeddedQueueTest extends FlowQueueSpec {

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

  @Override
  Vertx vertx() {
    return vertx;
  }

  @Override
  FlowQueue queue(QueueOptions options) throws Exception {
    return join(FlowQueue.embedded(vertx, name, store, options));
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

  @Test
  void givenADeadLetter_whenTheStoreIsReopened_thenItIsBackWithItsHistory() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1));
    String id = join(q.enqueue(Buffer.buffer("poison"), 0, Duration.ZERO));
    join(q.nack(join(q.receive()).orElseThrow().receipt(), Duration.ZERO));
    assertTrue(join(q.receive()).isEmpty());
    join(store.close());
    store = openStore();

    FlowQueue reopened = queue(new QueueOptions().setMaxAttempts(1));
    assertEquals(new QueueStats(0, 0, 0, 1, 0), join(reopened.stats()));
    QueueItem letter = join(reopened.deadLetters().receive()).orElseThrow();
    assertEquals(id, letter.id());
    assertEquals("poison", letter.payload().toString());
    assertEquals(List.of(PastDelivery.Ending.NACKED), letter.deliveries().stream().map(PastDelivery::ending).toList());
  }
}
