package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.concurrent.atomic.AtomicInteger;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static io.flowsdk.bus.FlowBusTest.msg;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
      FlowBus bus = join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(1000).setMaxRetries(1)
        .setRetryBackoffMillis(50)));
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
    int aArrivalsBefore = inboxArrivals.get(0).get();

    // QoS 2: exact counts are its guarantee even if a first, slow delivery is retried
    PublishResult both = join(a.publish(msg("plant/1/temp", "20", QoS.EXACTLY_ONCE)));
    PublishResult onlyC = join(a.publish(msg("plant/1/pressure", "3", QoS.EXACTLY_ONCE)));
    PublishResult nobody = join(a.publish(msg("office/1/temp", "22", QoS.AT_LEAST_ONCE)));

    assertEquals(2, both.nodes());
    assertEquals(2, both.subscribers());
    assertEquals(1, onlyC.subscribers());
    assertTrue(nobody.noSubscribers());
    assertEquals(List.of("plant/1/temp"), onB);
    assertEquals(List.of("plant/1/temp", "plant/1/pressure"), onC);
    assertEquals(aArrivalsBefore, inboxArrivals.get(0).get(), "a node without subscribers receives no publish");
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
  void givenRemoteSubscriberNeverAcknowledges_whenPublishingQos1_thenTimeoutAfterRetriesNotSilentLoss() throws Exception {
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
    assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
    assertEquals(2, handed.get(), "QoS 1 was retried once: at least once, never silently lost");
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
