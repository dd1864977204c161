package io.flowsdk.queue;

import io.flowsdk.FlowError;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour of a {@link FlowQueue}, the same for every backend; each test has a queue of its own. */
abstract class FlowQueueSpec {

  /** The name of this test's queue. */
  String name;

  @BeforeEach
  void nameTheQueue() {
    name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The Vert.x instance the queue of {@link #queue} runs on (its meters are there). */
  abstract Vertx vertx();

  /** Opens the queue {@link #name} with {@code options}. */
  abstract FlowQueue queue(QueueOptions options) throws Exception;

  static String payload(Optional<QueueItem> item) {
    return item.orElseThrow().payload().toString();
  }

  double counter(String meter) {
    return FlowMetrics.registry(vertx()).counter(meter, "queue", name).count();
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
  void givenItemsReadyDelayedLeasedAndDead_whenStatsAreAsked_thenEachIsCountedInItsState() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1));
    join(q.enqueue(Buffer.buffer("ready"), 0, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("leased"), 9, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("dying"), 5, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("later"), 0, Duration.ofHours(1)));
    QueueItem leased = join(q.receive()).orElseThrow();
    QueueItem dying = join(q.receive()).orElseThrow();
    join(q.nack(dying.receipt(), Duration.ZERO));
    assertEquals(new QueueStats(2, 1, 1, 0, 0), join(q.stats()));
    QueueItem next = join(q.receive()).orElseThrow(); // "dying" was delivered its one time: it moves to the dead letters
    assertEquals("ready", payload(Optional.of(next)));
    join(q.ack(next.receipt()));
    join(q.ack(leased.receipt()));
    assertEquals(new QueueStats(0, 1, 0, 1, 0), join(q.stats()));
    assertEquals(join(q.size()).longValue(), join(q.stats()).size());
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
    assertEquals("queue " + name + ": '" + first.receipt() + "' is not an item in flight (acknowledged, or its visibility timeout ran out)", e.getMessage());
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
  void givenAnItemNeverAcknowledged_whenItsAttemptsAreUsedUp_thenItMovesToTheDeadLettersWithItsDeliveryHistory() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(2).setVisibilityTimeoutMillis(100));
    String id = join(q.enqueue(Buffer.buffer("poison"), 7, Duration.ZERO));
    QueueItem first = join(q.receive()).orElseThrow();
    QueueItem second = await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow();
    assertEquals(List.of(new PastDelivery(first.invisibleUntil() - 100, first.invisibleUntil(), PastDelivery.Ending.TIMED_OUT)),
      second.deliveries(), "an item delivered again shows its earlier delivery");
    await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()).isEmpty() && join(q.size()) == 0);

    FlowQueue dead = q.deadLetters();
    assertEquals(name + ".dlq", dead.name());
    QueueItem letter = await().atMost(Duration.ofSeconds(5)).until(() -> join(dead.receive()), Optional::isPresent).orElseThrow();
    assertEquals(id, letter.id());
    assertEquals("poison", letter.payload().toString());
    assertEquals(7, letter.priority());
    assertEquals(1, letter.attempt(), "its first delivery as a dead letter");
    assertEquals(List.of(new PastDelivery(first.invisibleUntil() - 100, first.invisibleUntil(), PastDelivery.Ending.TIMED_OUT),
      new PastDelivery(second.invisibleUntil() - 100, second.invisibleUntil(), PastDelivery.Ending.TIMED_OUT)), letter.deliveries());
    assertEquals(1.0, counter("flowsdk.queue.dead"));
    assertEquals(1, join(q.stats()).deadLetters());
    join(dead.ack(letter.receipt()));
    assertEquals(0, join(q.stats()).deadLetters());
    assertTrue(join(dead.receive()).isEmpty());
  }

  @Test
  void givenANackedThenTimedOutItem_thenItsDeliveriesSayHowEachEnded() throws Exception {
    FlowQueue q = queue(new QueueOptions().setVisibilityTimeoutMillis(150));
    join(q.enqueue(Buffer.buffer("job"), 128, Duration.ZERO));
    QueueItem first = join(q.receive()).orElseThrow();
    long beforeNack = System.currentTimeMillis();
    join(q.nack(first.receipt(), Duration.ZERO));
    long afterNack = System.currentTimeMillis();
    QueueItem second = await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow();
    join(q.extend(second.receipt(), Duration.ofMillis(300)));
    long extendedUntil = System.currentTimeMillis() + 300;
    QueueItem third = await().atMost(Duration.ofSeconds(5)).until(() -> join(q.receive()), Optional::isPresent).orElseThrow();

    List<PastDelivery> past = third.deliveries();
    assertEquals(3, third.attempt());
    assertEquals(List.of(PastDelivery.Ending.NACKED, PastDelivery.Ending.TIMED_OUT), past.stream().map(PastDelivery::ending).toList());
    assertEquals(first.invisibleUntil() - 150, past.get(0).deliveredAt());
    assertTrue(past.get(0).endedAt() >= beforeNack && past.get(0).endedAt() <= afterNack, "ended at the nack: " + past.get(0));
    assertEquals(second.invisibleUntil() - 150, past.get(1).deliveredAt());
    assertTrue(past.get(1).endedAt() > second.invisibleUntil() && past.get(1).endedAt() <= extendedUntil,
      "timed out at the extended deadline: " + past.get(1));
    join(q.ack(third.receipt()));
  }

  @Test
  void givenADeadLetter_whenNackedOrTimedOutAgain_thenItComesBackWithItsHistoryUnchangedAndNeverMovesOn() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1).setVisibilityTimeoutMillis(100));
    join(q.enqueue(Buffer.buffer("poison"), 0, Duration.ZERO));
    QueueItem only = join(q.receive()).orElseThrow();
    join(q.nack(only.receipt(), Duration.ZERO));
    assertTrue(join(q.receive()).isEmpty(), "moved to the dead letters, not delivered a second time");
    FlowQueue dead = q.deadLetters();
    List<PastDelivery> history = await().atMost(Duration.ofSeconds(5)).until(() -> join(dead.receive()), Optional::isPresent)
      .orElseThrow().deliveries();
    assertEquals(List.of(PastDelivery.Ending.NACKED), history.stream().map(PastDelivery::ending).toList());
    for (int attempt = 2; attempt <= 4; attempt++) {
      QueueItem again = await().atMost(Duration.ofSeconds(5)).until(() -> join(dead.receive()), Optional::isPresent).orElseThrow();
      assertEquals(attempt, again.attempt(), "timed out as a dead letter, delivered again (beyond maxAttempts 1)");
      assertEquals(history, again.deliveries());
      if (attempt == 3) {
        join(dead.nack(again.receipt(), Duration.ZERO));
      }
    }
    assertEquals(1, join(dead.size()));
    assertEquals(dead, dead.deadLetters());
  }

  @Test
  void givenTheDeadLetters_whenEnqueuedTo_thenItIsRefusedAsInvalid() throws Exception {
    FlowQueue q = queue(new QueueOptions().setDeadLetterQueue(name + "-failed"));
    FlowQueue dead = q.deadLetters();
    assertEquals(name + "-failed", dead.name());
    var e = failure(dead.enqueue(Buffer.buffer("x"), 0, Duration.ZERO));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("queue " + name + "-failed holds dead letters and takes no enqueues (to redrive an item, enqueue its payload"
      + " to the queue it came from, then ack it here)", e.getMessage());
    assertEquals(0, join(dead.size()));
  }

  /** Enqueues {@code payloads} at their priorities to a queue of maxAttempts 1 and makes each a dead letter. */
  private static void killAll(FlowQueue q, int count, String... payloadsAndPriorities) throws Exception {
    for (int i = 0; i < payloadsAndPriorities.length; i += 2) {
      join(q.enqueue(Buffer.buffer(payloadsAndPriorities[i]), Integer.parseInt(payloadsAndPriorities[i + 1]), Duration.ZERO));
    }
    for (int i = 0; i < count; i++) {
      join(q.nack(join(q.receive()).orElseThrow().receipt(), Duration.ZERO));
    }
    assertTrue(join(q.receive()).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> join(q.deadLetters().size()) == count);
  }

  @Test
  void givenDeadLetters_whenRedriven_thenTheyAreItemsOfTheQueueAgainWithNewIdsAndAFreshHistory() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1));
    killAll(q, 3, "a", "1", "b", "9", "c", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> join(q.deadLetters().stats()).ready() == 3);

    assertEquals(2, join(q.redrive(2)), "the two best");
    assertEquals(1, join(q.deadLetters().size()));
    assertEquals(2.0, counter("flowsdk.queue.redriven"));
    QueueItem b = join(q.receive()).orElseThrow();
    assertEquals(List.of("b", 9, 1, List.of()), List.of(b.payload().toString(), b.priority(), b.attempt(), b.deliveries()));
    QueueItem a = join(q.receive()).orElseThrow();
    assertEquals("a", a.payload().toString());
    join(q.ack(a.receipt()));
    join(q.ack(b.receipt()));

    assertEquals(1, join(q.redrive(FlowQueue.MAX_REDRIVE)), "the dead letters ran out");
    assertEquals("c", payload(join(q.receive())));
    assertEquals(0, join(q.deadLetters().size()));
  }

  @Test
  void givenFullDeadLetters_whenAnotherItemDies_thenTheOldestReadyDeadLetterGoesOrWithNoneReadyTheNewOneAndEachIsCounted() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1).setCapacity(1));
    FlowQueue dead = q.deadLetters();
    killAll(q, 1, "a", "0");
    killAll(q, 1, "b", "0");
    assertEquals(1.0, FlowMetrics.registry(vertx()).counter("flowsdk.queue.dropped", "queue", dead.name(), "reason", "oldest").count());
    QueueItem b = await().atMost(Duration.ofSeconds(10)).until(() -> join(dead.receive()), Optional::isPresent).orElseThrow();
    assertEquals("b", b.payload().toString(), "the newer dead letter stayed");

    join(q.enqueue(Buffer.buffer("c"), 0, Duration.ZERO));
    join(q.nack(join(q.receive()).orElseThrow().receipt(), Duration.ZERO));
    assertTrue(join(q.receive()).isEmpty(), "c is dead");
    assertEquals(0, join(q.size()), "and gone: its dead letters are full and b is in flight");
    assertEquals(1.0, FlowMetrics.registry(vertx()).counter("flowsdk.queue.dropped", "queue", name, "reason", "dead_letters_full").count());
    assertEquals(1, join(dead.size()));
    join(dead.ack(b.receipt()));
  }

  @Test
  void givenMoreDeadLettersThanRoom_whenRedriven_thenItStopsAtCapacityAndTheRestStayDead() throws Exception {
    FlowQueue q = queue(new QueueOptions().setMaxAttempts(1).setCapacity(2).setOverflowPolicy(OverflowPolicy.DROP_OLDEST));
    killAll(q, 2, "a", "0", "b", "0");
    join(q.enqueue(Buffer.buffer("new"), 0, Duration.ZERO));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(q.deadLetters().stats()).ready() == 2);

    assertEquals(1, join(q.redrive(10)), "room for one, and none made by dropping the oldest");
    assertEquals(List.of("new", "a"), drain(q));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(q.deadLetters().stats()).ready() == 1);
    assertEquals("b", payload(join(q.deadLetters().receive())), "the one that did not fit, given back");
  }

  @Test
  void givenTheDeadLettersOrABadCount_whenRedriven_thenInvalid() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    assertEquals("queue " + name + ".dlq holds dead letters: redrive them from the queue they came from",
      failure(q.deadLetters().redrive(1)).getMessage());
    var e = failure(q.redrive(0));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("queue " + name + ": redrive moves 1..10000 dead letters, not 0", e.getMessage());
  }

  @Test
  void givenReadyDelayedAndInFlightItems_whenPeeked_thenEachIsListedInDeliveryOrderWithItsStateAndNoneIsDelivered() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    String a = join(q.enqueue(Buffer.buffer("a"), 1, Duration.ZERO));
    String b = join(q.enqueue(Buffer.buffer("b"), 9, Duration.ZERO));
    String c = join(q.enqueue(Buffer.buffer("c"), 5, Duration.ofHours(1)));
    QueueItem taken = join(q.receive()).orElseThrow();
    assertEquals(b, taken.id());

    long now = System.currentTimeMillis();
    List<StoredItem> peeked = join(q.peek(0, 10));
    assertEquals(List.of(a + " ready 1 0 a", b + " inFlight 9 1 b", c + " delayed 5 0 c"), peeked.stream()
      .map(i -> i.id() + " " + i.state(now) + " " + i.priority() + " " + i.attempts() + " " + i.payload()).toList());
    assertEquals(taken.invisibleUntil(), peeked.get(1).visibleAt());
    assertEquals(List.of(a), join(q.peek(0, 1)).stream().map(StoredItem::id).toList());
    assertEquals(List.of(b, c), join(q.peek(1, 5)).stream().map(StoredItem::id).toList(), "the page after the first item");
    assertEquals(List.of(c), join(q.peek(2, 1)).stream().map(StoredItem::id).toList());
    assertEquals(List.of(), join(q.peek(3, 1)), "past the last item");

    join(q.nack(taken.receipt(), Duration.ZERO));
    StoredItem nacked = join(q.peek(0, 1)).get(0);
    assertEquals(b, nacked.id(), "ready again, and the best");
    assertEquals(List.of(PastDelivery.Ending.NACKED), nacked.deliveries().stream().map(PastDelivery::ending).toList());
    assertEquals(b + "#2", join(q.receive()).orElseThrow().receipt(), "peeking delivered nothing");
    assertEquals("queue " + name + ": peek lists 1..1000 items from an offset of 0 or more, not 0 from 0",
      failure(q.peek(0, 0)).getMessage());
    assertEquals("queue " + name + ": peek lists 1..1000 items from an offset of 0 or more, not 1 from -1",
      failure(q.peek(-1, 1)).getMessage());
  }

  @Test
  void givenAFullQueue_whenEnqueueing_thenItIsRefusedWithOverloaded() throws Exception {
    FlowQueue q = queue(new QueueOptions().setCapacity(2));
    join(Future.all(q.enqueue(Buffer.buffer("1"), 1, Duration.ZERO), q.enqueue(Buffer.buffer("2"), 1, Duration.ZERO)));
    var e = failure(q.enqueue(Buffer.buffer("3"), 1, Duration.ZERO));
    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("queue " + name + " is full (capacity 2 items)", e.getMessage());
    assertEquals(1.0, counter("flowsdk.queue.refused"));
  }

  /** Receives, acknowledges and returns the payloads of every ready item, best first. */
  private static List<String> drain(FlowQueue q) throws Exception {
    List<String> order = new ArrayList<>();
    for (Optional<QueueItem> item = join(q.receive()); item.isPresent(); item = join(q.receive())) {
      order.add(payload(item));
      join(q.ack(item.get().receipt()));
    }
    return order;
  }

  private double dropped(String reason) {
    return FlowMetrics.registry(vertx()).counter("flowsdk.queue.dropped", "queue", name, "reason", reason).count();
  }

  @Test
  void givenDropOldest_whenAFullQueueTakesOneMore_thenTheOldestReadyItemGoesNotTheOneInFlight() throws Exception {
    FlowQueue q = queue(new QueueOptions().setCapacity(3).setOverflowPolicy(OverflowPolicy.DROP_OLDEST));
    join(q.enqueue(Buffer.buffer("a"), 5, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("b"), 200, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("c"), 1, Duration.ZERO));
    QueueItem inFlight = join(q.receive()).orElseThrow();
    assertEquals("b", inFlight.payload().toString());
    join(q.enqueue(Buffer.buffer("d"), 1, Duration.ZERO));
    assertEquals(3, join(q.size()));
    assertEquals(1.0, dropped("oldest"));
    join(q.ack(inFlight.receipt()));
    assertEquals(List.of("c", "d"), drain(q), "a, the oldest ready, was dropped");

    for (String p : List.of("e", "f", "g")) {
      join(q.enqueue(Buffer.buffer(p), 1, Duration.ZERO));
      join(q.receive()).orElseThrow();
    }
    var e = failure(q.enqueue(Buffer.buffer("h"), 1, Duration.ZERO));
    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("queue " + name + " is full (capacity 3 items); no item is ready to drop", e.getMessage());
  }

  @Test
  void givenDropLowestPriority_whenAFullQueueTakesMore_thenTheOldestOfTheLowestGoesOrTheArrivingOneWhenLowerStill() throws Exception {
    FlowQueue q = queue(new QueueOptions().setCapacity(3).setOverflowPolicy(OverflowPolicy.DROP_LOWEST_PRIORITY));
    join(q.enqueue(Buffer.buffer("x1"), 1, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("x2"), 1, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("hi"), 200, Duration.ZERO));
    join(q.enqueue(Buffer.buffer("mid"), 100, Duration.ZERO));
    var e = failure(q.enqueue(Buffer.buffer("low"), 0, Duration.ZERO));
    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("queue " + name + " is full (capacity 3 items); nothing ready has a priority below 0", e.getMessage());
    assertEquals(1.0, dropped("lowest_priority"));
    assertEquals(1.0, counter("flowsdk.queue.refused"));
    assertEquals(List.of("hi", "mid", "x2"), drain(q));
  }

  @Test
  void givenAnItemWithATtl_whenItExpiresBeforeDelivery_thenItIsDroppedAndCounted() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    long start = System.currentTimeMillis();
    join(q.enqueue(Buffer.buffer("stale"), 200, Duration.ZERO, Duration.ofMillis(100)));
    join(q.enqueue(Buffer.buffer("fresh"), 1, Duration.ZERO, Duration.ofMinutes(1)));
    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() - start > 150);
    QueueItem fresh = join(q.receive()).orElseThrow();
    assertEquals("fresh", fresh.payload().toString());
    join(q.ack(fresh.receipt()));
    assertTrue(join(q.receive()).isEmpty());
    assertEquals(0, join(q.size()));
    assertEquals(1.0, counter("flowsdk.queue.expired"));
  }

  @Test
  void givenABadReceipt_whenAcknowledged_thenNoRoute() throws Exception {
    FlowQueue q = queue(new QueueOptions());
    for (String receipt : new String[] {"nothing", "x#y", "0000000000000001#1"}) {
      var e = failure(q.ack(receipt));
      assertEquals(FlowError.NO_ROUTE, e.error());
      assertEquals("queue " + name + ": '" + receipt + "' is not an item in flight (acknowledged, or its visibility timeout ran out)", e.getMessage());
    }
  }
}
