package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static io.flowsdk.mqtt.broker.MqttBrokerHiveTest.get;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code queueBackpressure}: a publisher faster than a connected QoS 1 subscriber is slowed to its pace
 * (its PUBACKs wait) instead of the subscriber's full queue dropping messages, and never for longer than
 * the bus's {@code ackTimeoutMillis}; the HiveMQ client is both peers.
 */
class MqttBrokerBackpressureTest {

  private static final int WINDOW = 10;
  private static final int QUEUE = 10;
  /** The broker's default Receive Maximum: how many QoS 1 PUBLISH packets a publisher may have unacknowledged. */
  private static final int RECEIVE_MAXIMUM = MqttBrokerOptions.DEFAULT_RECEIVE_MAXIMUM;

  private BrokerPeers peers;

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private void start(long ackTimeoutMillis) throws Exception {
    start(ackTimeoutMillis, RECEIVE_MAXIMUM);
  }

  private void start(long ackTimeoutMillis, int receiveMaximum) throws Exception {
    Vertx vertx = Vertx.vertx();
    join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(ackTimeoutMillis)));
    peers = BrokerPeers.start(vertx, BrokerPeers.onFreePort().setMaxInflight(WINDOW).setMaxQueuedMessages(QUEUE)
      .setReceiveMaximum(receiveMaximum).setQueueBackpressure(true).setSysIntervalSeconds(0));
  }

  private double counter(String name) {
    return FlowMetrics.registry(peers.vertx).find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double deliveryFailed(String error) {
    return FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_delivery_failed_total", "error", error).count();
  }

  /** A subscriber to {@code bp/#} that acknowledges nothing until {@code acking} is set. */
  private Mqtt5AsyncClient subscriber(List<Mqtt5Publish> received, AtomicBoolean acking) throws Exception {
    Mqtt5AsyncClient subscriber = Mqtt5Client.builder().identifier("bp-sub").serverHost("127.0.0.1").serverPort(peers.port)
      .buildAsync();
    subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> {
      received.add(p);
      if (acking.get()) {
        p.acknowledge();
      }
    }, true);
    get(subscriber.connect());
    get(subscriber.subscribeWith().topicFilter("bp/#").qos(MqttQos.AT_LEAST_ONCE).send());
    return subscriber;
  }

  /** Publishes {@code count} QoS 1 messages from another thread: the client's send() blocks once its own buffer is full. */
  private static CompletableFuture<Void> publishInBackground(Mqtt5AsyncClient publisher, int count,
                                                             List<CompletableFuture<Mqtt5PublishResult>> published) {
    return publishInBackground(publisher, "bp/", count, published);
  }

  private static CompletableFuture<Void> publishInBackground(Mqtt5AsyncClient publisher, String topicPrefix, int count,
                                                             List<CompletableFuture<Mqtt5PublishResult>> published) {
    return CompletableFuture.runAsync(() -> {
      for (int i = 0; i < count; i++) {
        published.add(publisher.publishWith().topic(topicPrefix + i).qos(MqttQos.AT_LEAST_ONCE)
          .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send());
      }
    });
  }

  private Mqtt5AsyncClient publisher() throws Exception {
    return publisher("bp-pub");
  }

  private Mqtt5AsyncClient publisher(String clientId) throws Exception {
    Mqtt5AsyncClient publisher = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(peers.port)
      .buildAsync();
    get(publisher.connect());
    return publisher;
  }

  private static long done(List<CompletableFuture<Mqtt5PublishResult>> published) {
    return published.stream().filter(CompletableFuture::isDone).count();
  }

  private static void assertInOrderOnce(List<Mqtt5Publish> received, int count) {
    assertInOrderOnce(received, "bp/", count);
  }

  /** The messages {@code received} under {@code topicPrefix} are its {@code count} ones, in order, once. */
  private static void assertInOrderOnce(List<Mqtt5Publish> received, String topicPrefix, int count) {
    List<String> topics = received.stream().map(p -> p.getTopic().toString()).filter(t -> t.startsWith(topicPrefix)).toList();
    assertEquals(IntStream.range(0, count).mapToObj(i -> topicPrefix + i).toList(), topics, "every message, in order, once");
  }

  private static void assertAllAcknowledged(List<CompletableFuture<Mqtt5PublishResult>> published) throws Exception {
    for (CompletableFuture<Mqtt5PublishResult> f : published) {
      assertTrue(get(f).getError().isEmpty(), "every publish acknowledged with success");
    }
  }

  @Test
  void givenASubscriberThatHoldsItsAcks_whenAPublisherSendsFarMoreThanItsQueue_thenThePublisherWaitsAndNothingIsDropped()
    throws Exception {
    start(FlowBusOptions.DEFAULT_ACK_TIMEOUT_MILLIS);
    int messages = 200;
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    AtomicBoolean acking = new AtomicBoolean();
    Mqtt5AsyncClient subscriber = subscriber(received, acking);
    Mqtt5AsyncClient publisher = publisher();
    List<CompletableFuture<Mqtt5PublishResult>> published = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> publishing = publishInBackground(publisher, messages, published);

    await().atMost(Duration.ofSeconds(8)).until(() -> counter("flowsdk_mqtt_broker_publishers_held_total") == RECEIVE_MAXIMUM
      && done(published) == WINDOW + QUEUE);
    assertTrue(published.stream().limit(WINDOW + QUEUE).allMatch(CompletableFuture::isDone), "the first ones were taken at once");
    assertEquals(WINDOW, received.size(), "the subscriber's window is full and it acknowledged nothing");
    assertEquals(0.0, counter("flowsdk_mqtt_broker_dropped_total"), "a full queue held the rest instead of dropping");

    acking.set(true);
    received.forEach(Mqtt5Publish::acknowledge);
    get(publishing);
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= messages);
    assertAllAcknowledged(published);
    assertInOrderOnce(received, messages);
    assertEquals(0.0, counter("flowsdk_mqtt_broker_dropped_total"));
    assertEquals(0.0, counter("flowsdk_mqtt_broker_delivery_failed_total"), "no publisher was released by the bus's timeout");
    get(publisher.disconnect());
    get(subscriber.disconnect());
  }

  @Test
  void givenASubscriberStuckPastTheBusAckTimeout_thenItsPublishersAreReleasedAndTheHeldMessagesStillArrive() throws Exception {
    start(1000);
    int messages = WINDOW + QUEUE + RECEIVE_MAXIMUM;
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    AtomicBoolean acking = new AtomicBoolean();
    Mqtt5AsyncClient subscriber = subscriber(received, acking);
    Mqtt5AsyncClient publisher = publisher();
    List<CompletableFuture<Mqtt5PublishResult>> published = new CopyOnWriteArrayList<>();
    get(publishInBackground(publisher, messages, published));

    await().atMost(Duration.ofSeconds(15)).until(() -> done(published) == messages);
    assertAllAcknowledged(published);
    assertEquals(RECEIVE_MAXIMUM, deliveryFailed("TIMEOUT"), "each held publisher released by the timeout is counted");
    assertEquals(WINDOW, received.size(), "the stuck subscriber acknowledged nothing, so got nothing more");

    acking.set(true);
    received.forEach(Mqtt5Publish::acknowledge);
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= messages);
    assertInOrderOnce(received, messages);
    assertEquals(0.0, counter("flowsdk_mqtt_broker_dropped_total"), "released publishers did not cost the held messages");
    get(publisher.disconnect());
    get(subscriber.disconnect());
  }

  /**
   * More publishers waiting at once than a bus subscription buffers by default (64 in flight + 1,024): each
   * stays held until the subscriber takes its message, none is dropped or released with a failure.
   */
  @Test
  void givenManyPublishersWaitingOnOneStuckSubscriber_whenMoreWaitThanTheBusBuffersByDefault_thenNoneIsDropped()
    throws Exception {
    int receiveMaximum = 500;
    int publishers = 3;
    int messagesEach = 600;
    start(FlowBusOptions.DEFAULT_ACK_TIMEOUT_MILLIS, receiveMaximum);
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    AtomicBoolean acking = new AtomicBoolean();
    Mqtt5AsyncClient subscriber = subscriber(received, acking);
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    List<CompletableFuture<Mqtt5PublishResult>> published = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> publishing = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      Mqtt5AsyncClient publisher = publisher("bp-pub-" + p);
      clients.add(publisher);
      publishing.add(publishInBackground(publisher, "bp/" + p + "/", messagesEach, published));
    }

    int waiting = publishers * receiveMaximum;
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("flowsdk_mqtt_broker_publishers_held_total") == waiting
      && done(published) == WINDOW + QUEUE);
    assertTrue(waiting > SubscriptionOptions.DEFAULT_MAX_INFLIGHT + SubscriptionOptions.DEFAULT_BUFFER_SIZE);
    assertEquals(0.0, counter("flowsdk_mqtt_broker_delivery_failed_total"), "no waiting publisher was let go with a failure");

    acking.set(true);
    received.forEach(Mqtt5Publish::acknowledge);
    for (CompletableFuture<Void> f : publishing) {
      get(f);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= publishers * messagesEach);
    assertAllAcknowledged(published);
    for (int p = 0; p < publishers; p++) {
      assertInOrderOnce(received, "bp/" + p + "/", messagesEach);
    }
    assertEquals(0.0, counter("flowsdk_mqtt_broker_dropped_total"));
    assertEquals(0.0, counter("flowsdk.bus.dropped"), "no bus subscription overflowed");
    assertEquals(0.0, counter("flowsdk_mqtt_broker_delivery_failed_total"));
    for (Mqtt5AsyncClient publisher : clients) {
      get(publisher.disconnect());
    }
    get(subscriber.disconnect());
  }
}
