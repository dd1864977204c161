package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.util.Contexts;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowBusTest {

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

  static FlowMessage msg(String topic, String payload, QoS qos) {
    return FlowMessage.builder(topic).payload(payload).qos(qos).build();
  }

  @Test
  void givenOneVertx_whenBusCreatedTwice_thenSameBus() throws Exception {
    assertSame(bus, join(FlowBus.create(vertx)));
  }

  @Test
  void givenWildcardSubscriptions_whenPublishing_thenOnlyMatchingSubscribersReceive() throws Exception {
    List<String> plus = new CopyOnWriteArrayList<>();
    List<String> hash = new CopyOnWriteArrayList<>();
    List<String> exact = new CopyOnWriteArrayList<>();
    join(bus.subscribe("sensors/+/temp", m -> plus.add(m.topic())));
    join(bus.subscribe("sensors/#", m -> hash.add(m.topic())));
    join(bus.subscribe("sensors/a/humidity", m -> exact.add(m.topic())));

    PublishResult r = join(bus.publish(msg("sensors/a/temp", "21", QoS.AT_LEAST_ONCE)));
    join(bus.publish(msg("sensors/b/humidity", "40", QoS.AT_LEAST_ONCE)));
    join(bus.publish(msg("$SYS/sensors", "x", QoS.AT_LEAST_ONCE)));

    assertEquals(2, r.subscribers());
    assertEquals(List.of("sensors/a/temp"), plus);
    assertEquals(List.of("sensors/a/temp", "sensors/b/humidity"), hash);
    assertEquals(List.of(), exact);
  }

  @Test
  void givenNoSubscriber_whenPublishingQos1_thenSucceedsWithNoSubscribers() throws Exception {
    PublishResult r = join(bus.publish(msg("nobody/here", "x", QoS.AT_LEAST_ONCE)));
    assertTrue(r.noSubscribers());
    assertEquals(0, r.subscribers());
  }

  @Test
  void givenSubscriptionGrantingQos0_whenQos2Published_thenDeliveredDowngraded() throws Exception {
    List<QoS> got = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("a").setQos(QoS.AT_MOST_ONCE), m -> {
      got.add(m.qos());
      return Future.succeededFuture();
    }));
    join(bus.publish(msg("a", "x", QoS.EXACTLY_ONCE)));
    assertEquals(List.of(QoS.AT_MOST_ONCE), got);
  }

  @Test
  void givenHandlerFails_whenPublishingQos1_thenPublishFailsWithItsCode() throws Exception {
    join(bus.subscribe(new SubscriptionOptions().setFilter("orders"), m ->
      Future.failedFuture(new FlowException(FlowError.NOT_AUTHORIZED, "no orders today"))));
    FlowException e = failure(bus.publish(msg("orders", "x", QoS.AT_LEAST_ONCE)));
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
    assertEquals("no orders today", e.getMessage());
  }

  @Test
  void givenHandlerThrows_whenPublishing_thenPublishFailsInternalAndBusKeepsWorking() throws Exception {
    join(bus.subscribe("boom", m -> {
      throw new IllegalStateException("handler bug");
    }));
    assertEquals(FlowError.INTERNAL, failure(bus.publish(msg("boom", "x", QoS.AT_LEAST_ONCE))).error());
    List<String> ok = new CopyOnWriteArrayList<>();
    join(bus.subscribe("fine", m -> ok.add(m.payload().toString())));
    join(bus.publish(msg("fine", "still", QoS.AT_LEAST_ONCE)));
    assertEquals(List.of("still"), ok);
  }

  @Test
  void givenPausedSubscription_whenBufferOverflowsWithDropOldest_thenOldestDroppedAndPublisherTold() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription sub = join(bus.subscribe(new SubscriptionOptions().setFilter("t").setBufferSize(2)
      .setOverflowPolicy(OverflowPolicy.DROP_OLDEST), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    sub.pause();
    Future<PublishResult> first = bus.publish(msg("t", "1", QoS.AT_LEAST_ONCE));
    Future<PublishResult> second = bus.publish(msg("t", "2", QoS.AT_LEAST_ONCE));
    Future<PublishResult> third = bus.publish(msg("t", "3", QoS.AT_LEAST_ONCE));
    assertEquals(FlowError.OVERLOADED, failure(first).error());
    sub.resume();
    join(second);
    join(third);
    assertEquals(List.of("2", "3"), got);
    assertEquals(1, sub.dropped());
  }

  @Test
  void givenPausedSubscription_whenOverflowWithDropNewest_thenArrivingDropped() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription sub = join(bus.subscribe(new SubscriptionOptions().setFilter("t").setBufferSize(1)
      .setOverflowPolicy(OverflowPolicy.DROP_NEWEST), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    sub.pause();
    Future<PublishResult> first = bus.publish(msg("t", "1", QoS.AT_LEAST_ONCE));
    assertEquals(FlowError.OVERLOADED, failure(bus.publish(msg("t", "2", QoS.AT_LEAST_ONCE))).error());
    sub.resume();
    join(first);
    assertEquals(List.of("1"), got);
  }

  @Test
  void givenPausedSubscription_whenOverflowWithDropLowestPriority_thenLowestPriorityDropped() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription sub = join(bus.subscribe(new SubscriptionOptions().setFilter("t").setBufferSize(2)
      .setOverflowPolicy(OverflowPolicy.DROP_LOWEST_PRIORITY), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    sub.pause();
    List<Future<PublishResult>> results = new ArrayList<>();
    results.add(bus.publish(FlowMessage.builder("t").payload("high").priority(200).qos(QoS.AT_LEAST_ONCE).build()));
    results.add(bus.publish(FlowMessage.builder("t").payload("low").priority(10).qos(QoS.AT_LEAST_ONCE).build()));
    results.add(bus.publish(FlowMessage.builder("t").payload("mid").priority(100).qos(QoS.AT_LEAST_ONCE).build()));
    assertEquals(FlowError.OVERLOADED, failure(results.get(1)).error());
    sub.resume();
    join(results.get(0));
    join(results.get(2));
    assertEquals(List.of("high", "mid"), got);
  }

  @Test
  void givenSharedSubscriptionOfThree_whenPublishingSix_thenEachMemberGetsTwo() throws Exception {
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> got = Collections.synchronizedList(new ArrayList<>());
      members.add(got);
      join(bus.subscribe("$share/workers/jobs/+", m -> got.add(m.payload().toString())));
    }
    for (int i = 0; i < 6; i++) {
      PublishResult r = join(bus.publish(msg("jobs/x", "job" + i, QoS.AT_LEAST_ONCE)));
      assertEquals(1, r.subscribers());
    }
    for (List<String> got : members) {
      assertEquals(2, got.size(), "each member takes its turn: " + members);
    }
  }

  @Test
  void givenAGroupMemberOnStandBy_whenPublishing_thenTheOthersTakeEveryMessageAndItTakesThemOnlyWhileAllStandBy()
    throws Exception {
    List<String> toFirst = new CopyOnWriteArrayList<>();
    List<String> toSecond = new CopyOnWriteArrayList<>();
    FlowSubscription first = join(bus.subscribe(new SubscriptionOptions().setFilter("$share/g/jobs/+"), record(toFirst)));
    FlowSubscription second = join(bus.subscribe(new SubscriptionOptions().setFilter("$share/g/jobs/+"), record(toSecond)));
    join(bus.subscribe("jobs/+", m -> Future.succeededFuture()));

    join(second.standBy(true));
    publishJobs("a", 4);
    assertEquals(List.of("a0", "a1", "a2", "a3"), toFirst, "the member not on stand-by takes every turn");
    assertEquals(List.of(), toSecond);

    join(first.standBy(true));
    publishJobs("b", 4);
    assertEquals(2, toSecond.size(), "with every member on stand-by they take turns again: " + toFirst + " " + toSecond);

    join(second.standBy(false));
    join(first.close());
    publishJobs("c", 2);
    assertEquals(List.of("c0", "c1"), toSecond.subList(2, 4), "taken off stand-by, it takes the group's messages");
    assertEquals(Set.of(bus.nodeId()), join(bus.routeOf("jobs/x")));
  }

  private void publishJobs(String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertEquals(2, join(bus.publish(msg("jobs/x", prefix + i, QoS.AT_LEAST_ONCE))).subscribers(),
        "one member of the group and the plain subscriber");
    }
  }

  @Test
  void givenGroupOfTwoOwners_whenPublishingToTheGroupExceptOne_thenOnlyTheOtherMemberGetsItAndNoOtherSubscription() throws Exception {
    FlowOrigin leaving = new FlowOrigin(bus.nodeId(), "test", "leaving");
    FlowOrigin staying = new FlowOrigin(bus.nodeId(), "test", "staying");
    List<String> toLeaving = new CopyOnWriteArrayList<>();
    List<String> toStaying = new CopyOnWriteArrayList<>();
    List<String> toOthers = new CopyOnWriteArrayList<>();
    join(bus.subscribe(ownedBy("$share/g/jobs/+", leaving), record(toLeaving)));
    join(bus.subscribe(ownedBy("$share/g/jobs/+", staying), record(toStaying)));
    join(bus.subscribe("$share/other/jobs/+", m -> toOthers.add(m.payload().toString())));
    join(bus.subscribe("jobs/#", m -> toOthers.add(m.payload().toString())));

    for (int i = 0; i < 4; i++) {
      PublishResult r = join(bus.publishToGroup(msg("jobs/x", "job" + i, QoS.AT_LEAST_ONCE), "$share/g/jobs/+", leaving));
      assertEquals(1, r.subscribers());
    }

    assertEquals(List.of("job0", "job1", "job2", "job3"), toStaying, "every turn passes the member of the owner left out");
    assertEquals(List.of(), toLeaving);
    assertEquals(List.of(), toOthers, "only the named group gets a message handed on within it");
  }

  @Test
  void givenOnlyTheExceptedOwnersMember_whenPublishingToTheGroup_thenNoSubscribersAndNothingDelivered() throws Exception {
    FlowOrigin leaving = new FlowOrigin(bus.nodeId(), "test", "leaving");
    List<String> toLeaving = new CopyOnWriteArrayList<>();
    join(bus.subscribe(ownedBy("$share/g/jobs/+", leaving), record(toLeaving)));

    PublishResult r = join(bus.publishToGroup(msg("jobs/x", "job", QoS.EXACTLY_ONCE), "$share/g/jobs/+", leaving));

    assertTrue(r.noSubscribers());
    assertEquals(List.of(), toLeaving);
  }

  @Test
  void givenAFilterThatIsNotShared_whenPublishingToIt_thenInvalid() {
    FlowException e = failure(bus.publishToGroup(msg("jobs/x", "job", QoS.AT_LEAST_ONCE), "jobs/+", FlowOrigin.UNKNOWN));
    assertEquals(FlowError.INVALID, e.error());
  }

  private static SubscriptionOptions ownedBy(String filter, FlowOrigin owner) {
    return new SubscriptionOptions().setFilter(filter).setOwner(owner);
  }

  private static FlowHandler record(List<String> into) {
    return m -> {
      into.add(m.payload().toString());
      return Future.succeededFuture();
    };
  }

  @Test
  void givenNoLocalSubscription_whenOwnerPublishes_thenNotDeliveredButOthersAre() throws Exception {
    FlowOrigin me = new FlowOrigin(bus.nodeId(), "test", "client-1");
    List<String> got = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("chat").setNoLocal(true).setOwner(me), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    join(bus.publish(FlowMessage.builder("chat").payload("mine").origin(me).build()));
    join(bus.publish(FlowMessage.builder("chat").payload("theirs").origin(new FlowOrigin(bus.nodeId(), "test", "client-2")).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("theirs"));
    assertEquals(List.of("theirs"), got);
  }

  @Test
  void givenExpiredMessage_whenPublished_thenNotDelivered() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    join(bus.subscribe("exp", m -> got.add(m.payload().toString())));
    PublishResult r = join(bus.publish(FlowMessage.builder("exp").payload("old").qos(QoS.AT_LEAST_ONCE).messageExpiry(1)
      .timestamp(System.currentTimeMillis() - 5_000).build()));
    assertEquals(0, r.subscribers());
    assertTrue(got.isEmpty());
  }

  @Test
  void givenClosedSubscription_whenPublishing_thenNoDelivery() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription sub = join(bus.subscribe("c", m -> got.add("x")));
    join(sub.close());
    assertTrue(join(bus.publish(msg("c", "x", QoS.AT_LEAST_ONCE))).noSubscribers());
    assertTrue(got.isEmpty());
  }

  @Test
  void givenResponderFailsWithTimeoutOfItsOwn_whenRequesting_thenItsMessageNotTheRequestTimeout() throws Exception {
    join(bus.serve("own.deadline", req -> Future.failedFuture(new FlowException(FlowError.TIMEOUT,
      "the serving stream gave no answer within 500 ms"))));

    FlowException e = failure(bus.request("own.deadline", msg("x", "y", QoS.AT_MOST_ONCE), Duration.ofSeconds(5)));

    assertEquals(FlowError.TIMEOUT, e.error());
    assertEquals("the serving stream gave no answer within 500 ms", e.getMessage());
  }

  @Test
  void givenBufferedQos1Message_whenSubscriptionCloses_thenPublisherToldDisconnected() throws Exception {
    FlowSubscription sub = join(bus.subscribe(new SubscriptionOptions().setFilter("closing"), m -> Future.succeededFuture())).pause();
    Future<PublishResult> buffered = bus.publish(msg("closing", "x", QoS.AT_LEAST_ONCE));
    await().atMost(Duration.ofSeconds(5)).until(() -> sub.buffered() == 1);

    join(sub.close());

    FlowException e = failure(buffered);
    assertEquals(FlowError.DISCONNECTED, e.error());
    assertEquals("subscription 'closing' was closed before it took the message", e.getMessage());
  }

  @Test
  void givenAQos1MessageOnItsWay_whenItsSubscriptionClosesFirst_thenItCountsAsGoneAndTheOthersStillSucceed()
    throws Exception {
    Context subscriberContext = vertx.getOrCreateContext();
    FlowSubscription leaving = join(Contexts.call(subscriberContext, () -> bus.subscribe("leaving/#", m -> Future.succeededFuture())));
    List<String> staying = new CopyOnWriteArrayList<>();
    join(bus.subscribe("leaving/#", m -> staying.add(m.topic())));
    CountDownLatch release = new CountDownLatch(1);
    subscriberContext.runOnContext(v -> FlowBusDeliveryTest.awaitUninterruptibly(release));
    Future<Void> closing = leaving.close();
    Future<PublishResult> published = bus.publish(msg("leaving/now", "x", QoS.AT_LEAST_ONCE));
    join(bus.publish(msg("unmatched", "y", QoS.AT_LEAST_ONCE))); // the bus context has routed the first one by now

    release.countDown();
    join(closing);

    PublishResult result = join(published);
    assertEquals(1, result.subscribers(), "the closed subscription is not counted and did not fail the publish");
    assertEquals(List.of("leaving/now"), staying);
  }

  @Test
  void givenAcknowledgedPublishThatNoSubscriberTook_thenNoSubscribersEvenWhenANodeWasRoutedTo() {
    assertTrue(new PublishResult(1, 0, true).noSubscribers(), "a stale route: the node answered that nobody took it");
    assertFalse(new PublishResult(1, 1, true).noSubscribers());
    assertTrue(new PublishResult(0, 0, false).noSubscribers());
    assertFalse(new PublishResult(1, 0, false).noSubscribers(), "QoS 0 counts no remote subscribers");
  }

  @Test
  void givenVerticleWithSubscription_whenUndeployed_thenSubscriptionClosed() throws Exception {
    String id = join(vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        bus.subscribe("v", m -> { }).<Void>mapEmpty().onComplete(started);
      }
    }));
    assertEquals(1, join(bus.publish(msg("v", "x", QoS.AT_LEAST_ONCE))).subscribers());
    join(vertx.undeploy(id));
    assertTrue(join(bus.publish(msg("v", "x", QoS.AT_LEAST_ONCE))).noSubscribers());
  }

  @Test
  void givenCallerOnAVerticleContext_whenBusFuturesComplete_thenCallbacksRunOnThatContext() throws Exception {
    List<String> wrongContext = new CopyOnWriteArrayList<>();
    Promise<Void> checked = Promise.promise();
    join(vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        Context mine = context;
        bus.subscribe("ctx/check", m -> { })
          .onComplete(ar -> recordIfElsewhere(mine, "subscribe", wrongContext))
          .compose(sub -> bus.publish(msg("ctx/check", "x", QoS.AT_LEAST_ONCE)))
          .onComplete(ar -> recordIfElsewhere(mine, "publish", wrongContext))
          .compose(r -> bus.serve("ctx.check", req -> Future.succeededFuture(req)))
          .onComplete(ar -> recordIfElsewhere(mine, "serve", wrongContext))
          .compose(s -> bus.request("ctx.check", msg("ctx/check", "x", QoS.AT_MOST_ONCE), Duration.ofSeconds(5)))
          .onComplete(ar -> recordIfElsewhere(mine, "request", wrongContext))
          .compose(m -> bus.routeOf("ctx/check"))
          .onComplete(ar -> recordIfElsewhere(mine, "routeOf", wrongContext))
          .<Void>mapEmpty().onComplete(checked);
      }
    }));
    join(checked.future());
    assertEquals(List.of(), wrongContext);
  }

  private static void recordIfElsewhere(Context expected, String operation, List<String> wrong) {
    if (Vertx.currentContext() != expected) {
      wrong.add(operation + " completed on " + Thread.currentThread().getName());
    }
  }

  @Test
  void givenOversizedPayload_whenPublishing_thenTooLarge() throws Exception {
    Vertx small = Vertx.vertx();
    try {
      FlowBus smallBus = join(FlowBus.create(small, new FlowBusOptions().setMaxMessageBytes(10)));
      FlowException e = failure(smallBus.publish(FlowMessage.of("t", Buffer.buffer(new byte[11]))));
      assertEquals(FlowError.TOO_LARGE, e.error());
    } finally {
      join(small.close());
    }
  }

  @Test
  void givenResponder_whenRequesting_thenAnswerReturned() throws Exception {
    join(bus.serve("greeter", req -> Future.succeededFuture(FlowMessage.builder("greeter")
      .payload("hello " + req.payload()).correlationData(req.correlationData()).build())));
    FlowMessage answer = join(bus.request("greeter", FlowMessage.builder("greeter").payload("ada")
      .correlationData(Buffer.buffer("c1")).build(), Duration.ofSeconds(5)));
    assertEquals("hello ada", answer.payload().toString());
    assertEquals(Buffer.buffer("c1"), answer.correlationData());
  }

  @Test
  void givenNoResponder_whenRequesting_thenNoRouteNotTimeout() throws Exception {
    FlowException e = failure(bus.request("nobody", FlowMessage.of("nobody", Buffer.buffer()), Duration.ofSeconds(5)));
    assertEquals(FlowError.NO_ROUTE, e.error());
  }

  @Test
  void givenSlowResponder_whenRequesting_thenTimeout() throws Exception {
    join(bus.serve("slow", req -> Promise.<FlowMessage>promise().future()));
    FlowException e = failure(bus.request("slow", FlowMessage.of("slow", Buffer.buffer()), Duration.ofMillis(100)));
    assertEquals(FlowError.TIMEOUT, e.error());
  }

  @Test
  void givenResponderFailsWithCode_whenRequesting_thenSameCodeAndMessage() throws Exception {
    join(bus.serve("strict", req -> Future.failedFuture(new FlowException(FlowError.NOT_AUTHORIZED, "who are you"))));
    FlowException e = failure(bus.request("strict", FlowMessage.of("strict", Buffer.buffer()), Duration.ofSeconds(5)));
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
    assertEquals("who are you", e.getMessage());
  }

  @Test
  void givenClosedService_whenRequesting_thenNoRoute() throws Exception {
    FlowService s = join(bus.serve("gone", req -> Future.succeededFuture(req)));
    join(s.close());
    assertEquals(FlowError.NO_ROUTE, failure(bus.request("gone", FlowMessage.of("gone", Buffer.buffer()), Duration.ofSeconds(5))).error());
  }

  @Test
  void givenInvalidFilter_whenSubscribing_thenInvalid() {
    FlowException e = assertThrows(FlowException.class, () -> new SubscriptionOptions().setFilter("a/#/b"));
    assertEquals(FlowError.INVALID, e.error());
    assertFalse(e.getMessage().isEmpty());
  }
}
