package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.middleware.MiddlewareVerticle;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.table.FlowTable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's queues and tables through the broker ($queue/, $table/), with an independent client: HiveMQ's. */
class MqttBrokerMiddlewareTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private BrokerPeers peers;
  private FlowQueue jobs;
  private FlowTable config;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    JsonObject middleware = new JsonObject("{\"queues\": [{\"name\": \"jobs\", \"capacity\": 3}, {\"name\": \"fragile\", \"maxAttempts\": 1}], \"tables\": [{\"name\": \"config\"}]}")
      .put("store", new JsonObject().put("path", dir.resolve("node.mv").toString()));
    join(vertx.deployVerticle(new MiddlewareVerticle(), new DeploymentOptions().setConfig(middleware)));
    jobs = NodeMiddleware.of(vertx).queue("jobs").orElseThrow();
    config = NodeMiddleware.of(vertx).table("config").orElseThrow();
    peers = BrokerPeers.start(vertx, BrokerPeers.onFreePort());
  }

  @AfterEach
  void tearDown() throws Exception {
    peers.close();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  /** A client of receive maximum {@code receiveMaximum} whose incoming PUBLISHes go to {@code received}, acknowledged only by the test. */
  private Mqtt5AsyncClient client(String id, int receiveMaximum, List<Mqtt5Publish> received) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(peers.port).buildAsync();
    c.publishes(MqttGlobalPublishFilter.ALL, received::add, true);
    get(c.connectWith().restrictions().receiveMaximum(receiveMaximum).applyRestrictions().send());
    return c;
  }

  /** The reason code of the PUBACK of a QoS 1 PUBLISH (HiveMQ fails the future for an error code). */
  private static Mqtt5PubAckReasonCode enqueue(Mqtt5AsyncClient c, String topic, String payload) throws Exception {
    try {
      Mqtt5PublishResult r = get(c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send());
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
    } catch (ExecutionException e) {
      return ((Mqtt5PubAckException) e.getCause()).getMqttMessage().getReasonCode();
    }
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  private List<String> drain() throws Exception {
    List<String> items = new CopyOnWriteArrayList<>();
    for (Optional<QueueItem> item = join(jobs.receive()); item.isPresent(); item = join(jobs.receive())) {
      items.add(item.get().payload().toString() + "#" + item.get().attempt());
      join(jobs.ack(item.get().receipt()));
    }
    return items;
  }

  @Test
  void givenPublishesToQueueTopics_thenStoredBeforeThePubackAndFullUnknownAndTableTopicsRefusedWithTheirCodes() throws Exception {
    Mqtt5AsyncClient c = client("producer", 10, new CopyOnWriteArrayList<>());
    assertEquals(Mqtt5PubAckReasonCode.SUCCESS, enqueue(c, "$queue/jobs", "a"));
    get(c.publishWith().topic("$queue/jobs").qos(MqttQos.AT_LEAST_ONCE).payload("high".getBytes(StandardCharsets.UTF_8))
      .userProperties().add("priority", "200").applyUserProperties().send());
    assertEquals(2, join(jobs.size()), "both stored once their PUBACKs came");
    assertEquals(Mqtt5PubAckReasonCode.SUCCESS, enqueue(c, "$queue/jobs", "b"));
    assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, enqueue(c, "$queue/jobs", "c"));
    assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, enqueue(c, "$queue/nope", "x"));
    assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, enqueue(c, "$table/config/k", "x"));
    assertEquals(List.of("high#1", "a#1", "b#1"), drain());
    get(c.disconnect());
  }

  @Test
  void givenASubscriberOfReceiveMaximum1_thenOneItemAtATimeItsPubackAcksAndADisconnectGivesTheUnackedOneBack() throws Exception {
    for (String p : List.of("one", "two", "three")) {
      join(jobs.enqueue(Buffer.buffer(p), 0, Duration.ZERO));
    }
    List<Mqtt5Publish> got = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c = client("worker", 1, got);
    get(c.subscribeWith().topicFilter("$queue/jobs").qos(MqttQos.AT_LEAST_ONCE).send());
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    long until = System.currentTimeMillis() + 300;
    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > until);
    assertEquals(1, got.size(), "a second delivery before the first PUBACK");
    assertEquals("one", text(got.get(0)));
    assertEquals("1", got.get(0).getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("attempt"))
      .findFirst().orElseThrow().getValue().toString());

    got.get(0).acknowledge();
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
    assertEquals("two", text(got.get(1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(jobs.size()) == 2);

    get(c.disconnect()); // "two" was never acknowledged
    List<String> left = new CopyOnWriteArrayList<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      left.addAll(drain());
      return left.size() >= 2;
    });
    assertEquals(Set.of("two#2", "three#1"), Set.copyOf(left), "two given back at the disconnect, three never sent");
  }

  @Test
  void givenASubscriberOfTheDeadLetters_thenADeadItemArrivesWithItsDeliveriesItsPubackAcksAndPublishesThereAreRefused() throws Exception {
    FlowQueue fragile = NodeMiddleware.of(vertx).queue("fragile").orElseThrow();
    String id = join(fragile.enqueue(Buffer.buffer("poison"), 0, Duration.ZERO));
    join(fragile.nack(join(fragile.receive()).orElseThrow().receipt(), Duration.ZERO));
    List<Mqtt5Publish> got = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c = client("janitor", 10, got);
    get(c.subscribeWith().topicFilter("$queue/fragile.dlq").qos(MqttQos.AT_LEAST_ONCE).send());
    assertEquals(Optional.empty(), join(fragile.receive()).map(QueueItem::id), "its one attempt used, it moves to the dead letters");

    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    Mqtt5Publish letter = got.get(0);
    assertEquals("poison", text(letter));
    assertEquals(id, userProperty(letter, "id"));
    JsonArray deliveries = new JsonArray(userProperty(letter, "deliveries"));
    assertEquals(1, deliveries.size(), deliveries.encode());
    assertEquals("NACKED", deliveries.getJsonObject(0).getString("ending"));
    assertTrue(deliveries.getJsonObject(0).getLong("endedAt") >= deliveries.getJsonObject(0).getLong("deliveredAt"), deliveries.encode());
    letter.acknowledge();
    await().atMost(Duration.ofSeconds(10)).until(() -> join(fragile.deadLetters().size()) == 0);

    assertEquals(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, enqueue(c, "$queue/fragile.dlq", "x"));
    assertEquals(0, join(fragile.deadLetters().size()));
    get(c.disconnect());
  }

  @Test
  void givenAnItemAboveTheSubscribersMaximumPacketSize_thenItIsLeftInFlightNotGivenBackAtOnceAndTheNextArrives() throws Exception {
    join(jobs.enqueue(Buffer.buffer("x".repeat(2_000)), 200, Duration.ZERO));
    join(jobs.enqueue(Buffer.buffer("small"), 0, Duration.ZERO));
    List<Mqtt5Publish> got = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("tiny").serverHost("127.0.0.1").serverPort(peers.port).buildAsync();
    c.publishes(MqttGlobalPublishFilter.ALL, got::add, true);
    get(c.connectWith().restrictions().receiveMaximum(1).maximumPacketSize(500).applyRestrictions().send());
    get(c.subscribeWith().topicFilter("$queue/jobs").qos(MqttQos.AT_LEAST_ONCE).send());

    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    assertEquals("small", text(got.get(0)), "the big one, best first, could not be sent; the next could");
    got.get(0).acknowledge();
    await().atMost(Duration.ofSeconds(10)).until(() -> join(jobs.stats()).ready() == 0 && join(jobs.size()) == 1);
    assertEquals(1, join(jobs.stats()).inFlight(), "the big one waits out its visibility timeout for another consumer");
    assertEquals(0.0, FlowMetrics.registry(vertx).counter("flowsdk.queue.nacked", "queue", "jobs").count(),
      "not given back to be refused again, over and over");
    get(c.disconnect());
  }

  private static String userProperty(Mqtt5Publish p, String name) {
    return p.getUserProperties().asList().stream().filter(u -> u.getName().toString().equals(name))
      .findFirst().orElseThrow().getValue().toString();
  }

  @Test
  void givenATableEntry_whenSubscribed_thenItsValueArrivesRetainedThenEachChange() throws Exception {
    join(config.put("dev/1", Buffer.buffer("v1")));
    join(config.put("dev/2", Buffer.buffer("w1")));
    join(config.put("other", Buffer.buffer("x")));
    List<Mqtt5Publish> exact = new CopyOnWriteArrayList<>();
    List<Mqtt5Publish> all = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient one = client("watch-one", 10, exact);
    Mqtt5AsyncClient many = client("watch-many", 10, all);
    get(one.subscribeWith().topicFilter("$table/config/dev/1").qos(MqttQos.AT_LEAST_ONCE).send());
    get(many.subscribeWith().topicFilter("$table/config/dev/+").qos(MqttQos.AT_LEAST_ONCE).send());
    await().atMost(Duration.ofSeconds(10)).until(() -> exact.size() == 1 && all.size() == 2);
    join(config.put("dev/1", Buffer.buffer("v2")));
    await().atMost(Duration.ofSeconds(10)).until(() -> exact.size() == 2 && all.size() == 3);
    exact.forEach(Mqtt5Publish::acknowledge);
    all.forEach(Mqtt5Publish::acknowledge);

    assertEquals(List.of("$table/config/dev/1 v1 retained version=1", "$table/config/dev/1 v2 live version=2"),
      exact.stream().map(MqttBrokerMiddlewareTest::describe).collect(Collectors.toList()));
    assertEquals(List.of("$table/config/dev/1 v1 retained version=1", "$table/config/dev/2 w1 retained version=1",
      "$table/config/dev/1 v2 live version=2"), all.stream().map(MqttBrokerMiddlewareTest::describe).collect(Collectors.toList()));
    get(one.disconnect());
    get(many.disconnect());
  }

  private static String describe(Mqtt5Publish p) {
    String version = p.getUserProperties().asList().stream().filter(u -> u.getName().toString().equals("version"))
      .map(u -> u.getValue().toString()).findFirst().orElse("?");
    return p.getTopic() + " " + text(p) + " " + (p.isRetain() ? "retained" : "live") + " version=" + version;
  }
}
