package io.flowsdk.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.bus.FlowBusTest.msg;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * QoS 0 on a standalone node goes from the publisher straight to the subscribers, unless a shared
 * group matches: what that shortcut must keep of the bus's promises.
 */
class FlowBusAtMostOnceTest {

  private static final int MESSAGES = 20_000;

  private Vertx vertx;
  private FlowBus bus;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx));
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenASharedGroupComingAndGoingOnTheTopic_whenOnePublisherSendsQos0_thenAPlainSubscriberGetsEveryMessageInOrder() throws Exception {
    List<Integer> got = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("order/t").setBufferSize(MESSAGES), m -> {
      got.add(Integer.parseInt(m.payload().toString()));
      return Future.succeededFuture();
    }));
    Context publisher = vertx.getOrCreateContext();
    Context churn = vertx.getOrCreateContext();
    CompletableFuture<Void> published = new CompletableFuture<>();
    publisher.runOnContext(v -> publishFrom(0, published));
    churn.runOnContext(v -> toggleSharedGroup(40));

    published.get(60, TimeUnit.SECONDS);
    await().atMost(30, TimeUnit.SECONDS).until(() -> got.size() >= MESSAGES);
    assertEquals(MESSAGES, got.size(), "each message once");
    for (int i = 0; i < MESSAGES; i++) {
      int position = i;
      assertEquals(i, got.get(i), () -> "in the order published, whichever way each one went; around position " + position
        + ": " + got.subList(Math.max(0, position - 3), Math.min(MESSAGES, position + 3)));
    }
  }

  /** Publishes in bursts of 500 so the shared group's churn interleaves with them. */
  private void publishFrom(int next, CompletableFuture<Void> done) {
    Future<PublishResult> last = null;
    int end = Math.min(next + 500, MESSAGES);
    for (int i = next; i < end; i++) {
      last = bus.publish(msg("order/t", Integer.toString(i), QoS.AT_MOST_ONCE));
    }
    last.onComplete(ar -> {
      if (ar.failed()) {
        done.completeExceptionally(ar.cause());
      } else if (end == MESSAGES) {
        done.complete(null);
      } else {
        vertx.runOnContext(v -> publishFrom(end, done));
      }
    });
  }

  private void toggleSharedGroup(int times) {
    if (times == 0) {
      return;
    }
    bus.subscribe("$share/g/order/t", m -> { })
      .compose(FlowSubscription::close)
      .onComplete(ar -> toggleSharedGroup(times - 1));
  }

  @Test
  void givenASubscriberOnThePublishersContext_whenPublishingQos0_thenItsHandlerRunsAfterThePublishCallReturns() throws Exception {
    Context shared = vertx.getOrCreateContext();
    List<String> events = new CopyOnWriteArrayList<>();
    Promise<Void> handled = Promise.promise();
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    shared.runOnContext(v -> bus.subscribe("same/context", m -> {
      events.add("handled");
      handled.tryComplete();
    }).onComplete(ar -> subscribed.complete(null)));
    subscribed.get(10, TimeUnit.SECONDS);

    shared.runOnContext(v -> {
      bus.publish(msg("same/context", "x", QoS.AT_MOST_ONCE));
      events.add("published");
    });

    join(handled.future());
    assertEquals(List.of("published", "handled"), events, "never inside the publisher's call");
  }

  @Test
  void givenAStandaloneBus_whenPublishingQos0ToOneSubscriberAndToNone_thenTheResultCountsThem() throws Exception {
    join(bus.subscribe("counted/+", m -> { }));

    PublishResult one = join(bus.publish(msg("counted/a", "x", QoS.AT_MOST_ONCE)));
    PublishResult none = join(bus.publish(msg("nobody/a", "x", QoS.AT_MOST_ONCE)));

    assertEquals(1, one.nodes());
    assertEquals(1, one.subscribers());
    assertFalse(one.acknowledged());
    assertEquals(0, none.nodes());
    assertEquals(0, none.subscribers());
  }
}
