package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static io.flowsdk.bus.FlowBusTest.msg;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three Vert.x nodes clustered through Hazelcast on loopback, each with its flow bus. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowBusClusterTest {

  private static final Duration ROUTES_SETTLE = Duration.ofSeconds(20);
  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<FlowBus> buses = new ArrayList<>();
  /** Flow bus deliveries that arrived at each node's inbox, counted by an event-bus interceptor. */
  private static final List<AtomicInteger> inboxArrivals = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    TestCluster cluster = new TestCluster();
    for (int i = 0; i < 3; i++) {
      Vertx vertx = join(cluster.startNode());
      FlowBus bus = join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(1000).setTransitTimeoutMillis(500)
        .setMaxRetries(1).setRetryBackoffMillis(50)));
      AtomicInteger arrivals = new AtomicInteger();
      String inbox = "flowsdk.node." + bus.nodeId();
      vertx.eventBus().addInboundInterceptor(ctx -> {
        if (ctx.message().address().equals(inbox)) {
          arrivals.incrementAndGet();
        }
        ctx.next();
      });
      nodes.add(vertx);
      buses.add(bus);
      inboxArrivals.add(arrivals);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Vertx vertx : nodes) {
      join(vertx.close());
    }
  }

  private static void awaitRoute(FlowBus from, String topic, Set<String> expectedNodes) {
    await().atMost(ROUTES_SETTLE).until(() -> join(from.routeOf(topic)).equals(expectedNodes));
  }

  @Test
  @Order(1)
  void givenWildcardSubscribersOnBAndC_whenAPublishes_thenBothReceiveAndIdleNodeNothing() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    FlowBus c = buses.get(2);
    List<String> onB = new CopyOnWriteArrayList<>();
    List<String> onC = new CopyOnWriteArrayList<>();
    join(b.subscribe("plant/+/temp", m -> onB.add(m.topic())));
    join(c.subscribe("plant/#", m -> onC.add(m.topic())));
    awaitRoute(a, "plant/1/temp", Set.of(b.nodeId(), c.nodeId()));
    awaitRoute(a, "plant/1/pressure", Set.of(c.nodeId()));

    PublishResult both = join(a.publish(msg("plant/1/temp", "20", QoS.EXACTLY_ONCE)));
    int bArrivalsBefore = inboxArrivals.get(1).get();
    PublishResult onlyC = join(a.publish(msg("plant/1/pressure", "3", QoS.EXACTLY_ONCE)));
    PublishResult nobody = join(a.publish(msg("office/1/temp", "22", QoS.AT_LEAST_ONCE)));

    assertEquals(2, both.nodes());
    assertEquals(2, both.subscribers());
    assertEquals(1, onlyC.subscribers());
    assertTrue(nobody.noSubscribers());
    assertEquals(List.of("plant/1/temp"), onB);
    assertEquals(List.of("plant/1/temp", "plant/1/pressure"), onC);
    assertEquals(bArrivalsBefore, inboxArrivals.get(1).get(), "a node without a matching subscriber receives no publish");
  }

  @Test
  @Order(2)
  void givenQos0Publish_whenSubscriberOnlyOnC_thenOnlyCsInboxReceives() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus c = buses.get(2);
    List<String> onC = new CopyOnWriteArrayList<>();
    join(c.subscribe("qos0/only/c", m -> onC.add(m.payload().toString())));
    awaitRoute(a, "qos0/only/c", Set.of(c.nodeId()));
    int bBefore = inboxArrivals.get(1).get();
    for (int i = 0; i < 100; i++) {
      join(a.publish(msg("qos0/only/c", String.valueOf(i), QoS.AT_MOST_ONCE)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> onC.size() == 100);
    assertEquals("0", onC.get(0));
    assertEquals("99", onC.get(99), "order from one publisher is kept");
    assertEquals(bBefore, inboxArrivals.get(1).get());
  }

  @Test
  @Order(3)
  void givenSharedGroupOnBAndC_whenAPublishesTen_thenEachMessageToExactlyOneMemberAndBothServe() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    FlowBus c = buses.get(2);
    List<String> onB = new CopyOnWriteArrayList<>();
    List<String> onC = new CopyOnWriteArrayList<>();
    join(b.subscribe("$share/workers/jobs/#", m -> onB.add(m.payload().toString())));
    join(c.subscribe("$share/workers/jobs/#", m -> onC.add(m.payload().toString())));
    awaitRoute(a, "jobs/print", Set.of(b.nodeId(), c.nodeId()));

    for (int i = 0; i < 10; i++) {
      PublishResult r = join(a.publish(msg("jobs/print", "job" + i, QoS.EXACTLY_ONCE)));
      assertEquals(1, r.subscribers(), "a shared group takes each message once");
    }

    assertEquals(10, onB.size() + onC.size());
    assertEquals(5, onB.size(), "the publisher alternates between the nodes of the group");
    List<String> all = new ArrayList<>(onB);
    all.addAll(onC);
    assertEquals(10, all.stream().distinct().count());
  }

  @Test
  @Order(3)
  void givenGroupMembersOnBAndC_whenCsStandsBy_thenAPublishesEveryMessageToBAndToBothOnceBStandsByToo() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    FlowBus c = buses.get(2);
    List<String> onB = new CopyOnWriteArrayList<>();
    List<String> onC = new CopyOnWriteArrayList<>();
    FlowSubscription memberOnB = join(b.subscribe("$share/spare/tasks/#", m -> onB.add(m.payload().toString())));
    FlowSubscription memberOnC = join(c.subscribe("$share/spare/tasks/#", m -> onC.add(m.payload().toString())));
    awaitRoute(a, "tasks/1", Set.of(b.nodeId(), c.nodeId()));

    join(memberOnC.standBy(true));
    awaitRoute(a, "tasks/1", Set.of(b.nodeId()));
    publishTasks(a, "a", 6);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5"), onB, "C's member stands by: every task to B");
    assertEquals(List.of(), onC);

    join(memberOnB.standBy(true));
    awaitRoute(a, "tasks/1", Set.of(b.nodeId(), c.nodeId()));
    publishTasks(a, "b", 6);
    assertEquals(3, onC.size(), "both stand by: they take turns again, " + onB + " " + onC);

    join(memberOnC.standBy(false));
    awaitRoute(a, "tasks/1", Set.of(c.nodeId()));
    publishTasks(a, "c", 2);
    assertEquals(List.of("c0", "c1"), onC.subList(3, 5));
    join(memberOnB.close());
    join(memberOnC.close());
  }

  private static void publishTasks(FlowBus from, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertEquals(1, join(from.publish(msg("tasks/1", prefix + i, QoS.AT_LEAST_ONCE))).subscribers());
    }
  }

  @Test
  @Order(3)
  void givenExceptedOwnersMembersOnAAndB_whenAPublishesToTheGroup_thenTheOtherMemberOnBGetsEach() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    FlowOrigin leaving = new FlowOrigin("some-node", "test", "leaving");
    List<String> toLeaving = new CopyOnWriteArrayList<>();
    List<String> toStaying = new CopyOnWriteArrayList<>();
    join(a.subscribe(new SubscriptionOptions().setFilter("$share/redo/work/#").setOwner(leaving), m -> {
      toLeaving.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    join(b.subscribe(new SubscriptionOptions().setFilter("$share/redo/work/#").setOwner(leaving), m -> {
      toLeaving.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    join(b.subscribe(new SubscriptionOptions().setFilter("$share/redo/work/#")
      .setOwner(new FlowOrigin("some-node", "test", "staying")), m -> {
        toStaying.add(m.payload().toString());
        return Future.succeededFuture();
      }));
    awaitRoute(a, "work/1", Set.of(a.nodeId(), b.nodeId()));

    for (int i = 0; i < 4; i++) {
      PublishResult r = join(a.publishToGroup(msg("work/1", "w" + i, QoS.AT_LEAST_ONCE), "$share/redo/work/#", leaving));
      assertEquals(1, r.subscribers());
    }

    assertEquals(List.of("w0", "w1", "w2", "w3"), toStaying, "the owner left out is passed over here and on the other node");
    assertEquals(List.of(), toLeaving);
  }

  @Test
  @Order(4)
  void givenResponderOnC_whenARequests_thenAnswerAndFailuresKeepTheirCodes() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus c = buses.get(2);
    join(c.serve("calc.double", req -> Future.succeededFuture(FlowMessage.builder("calc/double")
      .payload(String.valueOf(2 * Integer.parseInt(req.payload().toString()))).build())));
    await().atMost(ROUTES_SETTLE).ignoreExceptions().until(() ->
      join(a.request("calc.double", FlowMessage.builder("calc/double").payload("21").build(), Duration.ofSeconds(5)))
        .payload().toString().equals("42"));

    assertEquals(FlowError.NO_ROUTE,
      failure(a.request("calc.nobody", FlowMessage.of("x", Buffer.buffer()), Duration.ofSeconds(5))).error());
  }

  @Test
  @Order(5)
  void givenRemoteSubscriberNeverAcknowledges_whenPublishingQos1_thenTimeoutWithoutRetryIntoDuplicates() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    AtomicInteger handed = new AtomicInteger();
    join(b.subscribe(new SubscriptionOptions().setFilter("stuck/consumer"), m -> {
      handed.incrementAndGet();
      return Promise.<Void>promise().future();
    }));
    awaitRoute(a, "stuck/consumer", Set.of(b.nodeId()));

    FlowException e = failure(a.publish(msg("stuck/consumer", "x", QoS.AT_LEAST_ONCE)));

    assertEquals(FlowError.TIMEOUT, e.error());
    assertEquals("the handler of subscription 'stuck/consumer' did not complete within 1000 ms", e.getMessage());
    assertEquals(1, handed.get(), "a slow but alive subscriber is told of once, not retried into duplicates");
  }

  @Test
  @Order(5)
  void givenRemotePausedSubscriber_whenPublishingQos2_thenOverloadedAndNeverDeliveredLater() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    List<String> got = new CopyOnWriteArrayList<>();
    FlowSubscription paused = join(b.subscribe(new SubscriptionOptions().setFilter("paused/consumer"), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    })).pause();
    awaitRoute(a, "paused/consumer", Set.of(b.nodeId()));

    FlowException e = failure(a.publish(msg("paused/consumer", "late", QoS.EXACTLY_ONCE)));
    paused.resume();
    join(a.publish(msg("paused/consumer", "after", QoS.EXACTLY_ONCE)));

    assertEquals(FlowError.OVERLOADED, e.error());
    assertEquals("subscription 'paused/consumer' did not take the message within 1000 ms (paused or too slow); it was not delivered",
      e.getMessage());
    assertEquals(List.of("after"), got, "the publisher was told it failed, so it must not arrive");
  }

  @ParameterizedTest
  @EnumSource(value = QoS.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
  @Order(5)
  void givenAnswerLostInTransit_whenRetried_thenDeliveredOnceAndPublisherSucceeds(QoS qos) throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    String topic = "lost/answer/" + qos;
    List<String> got = new CopyOnWriteArrayList<>();
    join(b.subscribe(new SubscriptionOptions().setFilter(topic), m -> {
      got.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    awaitRoute(a, topic, Set.of(b.nodeId()));
    AtomicBoolean dropNextAnswer = new AtomicBoolean(true);
    nodes.get(0).eventBus().addInboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof Integer && dropNextAnswer.compareAndSet(true, false)) {
        return; // the answer to the first copy never reaches the publisher
      }
      ctx.next();
    });

    PublishResult r = join(a.publish(msg(topic, "once", qos)));

    assertFalse(dropNextAnswer.get(), "the first answer was dropped, so the publisher had to retry");
    assertEquals(1, r.subscribers());
    assertEquals(List.of("once"), got, "the receiving node answered the retry without delivering again");
  }

  @Test
  @Order(5)
  void givenRouteMapCleared_thenEveryNodeWritesItsRoutesAgain() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus c = buses.get(2);
    List<String> onC = new CopyOnWriteArrayList<>();
    join(c.subscribe("cleared/map", m -> onC.add(m.payload().toString())));
    awaitRoute(a, "cleared/map", Set.of(c.nodeId()));
    IMap<Object, Object> routeMap = hazelcast(2).getMap(FlowBusOptions.DEFAULT_ROUTE_MAP);

    routeMap.clear();

    await().atMost(ROUTES_SETTLE).until(() -> routeMap.containsKey(c.nodeId() + '\u0000' + "cleared/map"));
    awaitRoute(a, "cleared/map", Set.of(c.nodeId()));
    awaitRoute(a, "plant/1/temp", Set.of(buses.get(1).nodeId(), c.nodeId()));
    awaitRoute(buses.get(1), "plant/1/pressure", Set.of(c.nodeId()));
    assertEquals(1, join(a.publish(msg("cleared/map", "again", QoS.AT_LEAST_ONCE))).subscribers());
    assertEquals(List.of("again"), onC);
  }

  private static HazelcastInstance hazelcast(int node) {
    return ClusterNodes.hazelcast(nodes.get(node));
  }

  @Test
  @Order(6)
  void givenCLeavesWithADeliveryInFlight_thenThatPublishFailsDisconnectedRoutesAreGoneAndBStillReceives() throws Exception {
    FlowBus a = buses.get(0);
    FlowBus b = buses.get(1);
    List<String> onB = new CopyOnWriteArrayList<>();
    join(b.subscribe("after/leave", m -> onB.add(m.payload().toString())));
    FlowBus c = buses.get(2);
    AtomicInteger handedOnC = new AtomicInteger();
    join(c.subscribe(new SubscriptionOptions().setFilter("inflight/on/c"), m -> {
      handedOnC.incrementAndGet();
      return Promise.<Void>promise().future();
    }));
    awaitRoute(a, "plant/9/pressure", Set.of(c.nodeId()));
    awaitRoute(a, "after/leave", Set.of(b.nodeId()));
    awaitRoute(a, "inflight/on/c", Set.of(c.nodeId()));
    Future<PublishResult> inFlight = a.publish(msg("inflight/on/c", "x", QoS.AT_LEAST_ONCE));
    await().atMost(ROUTES_SETTLE).until(() -> handedOnC.get() == 1);

    join(nodes.get(2).close());

    assertEquals(FlowError.DISCONNECTED, failure(inFlight).error(), "a delivery lost with its node is reported");

    awaitRoute(a, "plant/9/pressure", Set.of());
    awaitRoute(b, "plant/9/pressure", Set.of());
    PublishResult r = join(a.publish(msg("after/leave", "still here", QoS.EXACTLY_ONCE)));
    assertEquals(1, r.subscribers());
    assertEquals(List.of("still here"), onB);
    assertTrue(join(a.publish(msg("plant/9/pressure", "x", QoS.AT_LEAST_ONCE))).noSubscribers());
  }
}
