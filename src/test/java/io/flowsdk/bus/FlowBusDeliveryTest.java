package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.bus.FlowBusTest.msg;
import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a local QoS 1/2 publish promises when the subscriber is stuck, paused, broken or stalled. */
class FlowBusDeliveryTest {

  private static final long ACK_TIMEOUT = 300;

  private Vertx vertx;
  private FlowBus bus;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(ACK_TIMEOUT)));
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenHandlerThatNeverCompletes_whenPublishingQos1_thenTimeoutWithinTheAckTimeout() throws Exception {
    join(bus.subscribe(new SubscriptionOptions().setFilter("stuck"), m -> Promise.<Void>promise().future()));
    long start = System.nanoTime();

    FlowException e = failure(bus.publish(msg("stuck", "x", QoS.AT_LEAST_ONCE)));

    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(FlowError.TIMEOUT, e.error());
    assertEquals("the handler of subscription 'stuck' did not complete within 300 ms", e.getMessage());
    assertTrue(tookMillis >= ACK_TIMEOUT && tookMillis < 5_000, "ended after " + tookMillis + " ms");
  }

  @Test
  void givenPausedSubscription_whenPublishingQos2_thenOverloadedAndTheMessageIsNeverHandedLater() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription sub = join(bus.subscribe(new SubscriptionOptions().setFilter("paused"), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    })).pause();

    FlowException e = failure(bus.publish(msg("paused", "expired", QoS.EXACTLY_ONCE)));
    sub.resume();
    join(bus.publish(msg("paused", "fresh", QoS.EXACTLY_ONCE)));

    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("subscription 'paused' did not take the message within 300 ms (paused or too slow); it was not delivered",
      e.getMessage());
    assertEquals(List.of("fresh"), got);
    assertEquals(0, sub.buffered());
  }

  @Test
  void givenHandlerReturningNull_whenPublishing_thenPublishFailsInternalAndTheInflightSlotIsFreed() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("null/handler").setMaxInflight(1), m -> {
      got.add(m.payload().toString());
      return m.payload().toString().equals("first") ? null : Future.succeededFuture();
    }));

    FlowException e = failure(bus.publish(msg("null/handler", "first", QoS.AT_LEAST_ONCE)));
    PublishResult second = join(bus.publish(msg("null/handler", "second", QoS.AT_LEAST_ONCE)));

    assertEquals(FlowError.INTERNAL, e.error());
    assertEquals("the handler of subscription 'null/handler' returned null instead of a Future", e.getMessage());
    assertEquals(1, second.subscribers());
    assertEquals(List.of("first", "second"), got);
  }

  @Test
  void givenSubscriberEventLoopStalled_whenPublishing_thenOffersBeyondTheBoundAreRefusedBeforeTheHop() throws Exception {
    Context subscriberContext = vertx.getOrCreateContext();
    List<String> got = new CopyOnWriteArrayList<>();
    CompletableFuture<FlowSubscription> subscribed = new CompletableFuture<>();
    subscriberContext.runOnContext(v -> bus.subscribe(new SubscriptionOptions().setFilter("stalled").setBufferSize(8)
      .setMaxInflight(2), m -> {
        got.add(m.payload().toString());
        return Future.succeededFuture();
      }).onComplete(ar -> subscribed.complete(ar.result())));
    FlowSubscription sub = subscribed.get(10, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stalled = new CountDownLatch(1);
    subscriberContext.runOnContext(v -> {
      stalled.countDown();
      awaitUninterruptibly(release);
    });
    stalled.await(10, TimeUnit.SECONDS);

    List<Future<PublishResult>> publishes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      publishes.add(bus.publish(msg("stalled", "m" + i, QoS.AT_MOST_ONCE)));
    }
    try {
      join(Future.join(publishes));
      assertEquals(10, sub.dropped(), "8 buffered + 2 inflight may wait for the stalled loop, the rest are refused");
    } finally {
      release.countDown();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 10);
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), got);
  }

  @Test
  void givenRunningBus_whenCreatedWithOtherOptions_thenInvalidAndWithoutOptionsTheRunningBus() throws Exception {
    FlowException e = failure(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(999)));

    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().startsWith("the flow bus of this Vert.x instance already runs with {\"ackTimeoutMillis\":300,"),
      e.getMessage());
    assertTrue(e.getMessage().endsWith(": give the same options, or FlowBus.create(vertx) to use the running bus"), e.getMessage());
    assertSame(bus, join(FlowBus.create(vertx)));
    assertSame(bus, join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(ACK_TIMEOUT))));
  }

  /** Holds an event loop for a test, at most 10 s so a failed test cannot hang Vert.x's close. */
  static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
