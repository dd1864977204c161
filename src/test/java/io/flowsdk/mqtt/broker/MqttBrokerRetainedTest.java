package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flowsdk.mqtt.broker.MqttBrokerHiveTest.get;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Retained messages set on the flow bus (what a gRPC {@code Publish} does) reach MQTT subscribers, and
 * a large retained set is delivered whole, paced by the client, with the HiveMQ client as the peer.
 */
class MqttBrokerRetainedTest {

  static final int MANY = 100_000;
  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    // a session queue far below the retained set: before pacing, the overflow policy dropped the rest
    peers = BrokerPeers.start(BrokerPeers.onFreePort().setMaxQueuedMessages(1000).setMaxRetainedMessages(MANY + 100)
      .setSysIntervalSeconds(0));
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static Future<PublishResult> retainOnBus(String topic, String payload) {
    return peers.bus.publish(FlowMessage.builder(topic).payload(payload).qos(QoS.AT_LEAST_ONCE).retain(true).build());
  }

  private static Mqtt5AsyncClient recording(String id, List<String> received) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(peers.port).buildAsync();
    c.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getTopic() + "=" + text(p) + ":" + p.isRetain()));
    get(c.connect());
    return c;
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void givenARetainedMessageSetOnTheBus_whenAnMqttClientSubscribes_thenItGetsItWithRetainAndABusClearRemovesIt()
    throws Exception {
    join(retainOnBus("bus/a", "from the bus"));
    List<String> first = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c1 = recording("bus-retained-1", first);
    get(c1.subscribeWith().topicFilter("bus/+").qos(MqttQos.AT_LEAST_ONCE).send());
    await().until(() -> !first.isEmpty());
    assertEquals(List.of("bus/a=from the bus:true"), first);

    join(retainOnBus("bus/a", ""));
    join(retainOnBus("bus/b", "marker"));
    List<String> second = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c2 = recording("bus-retained-2", second);
    get(c2.subscribeWith().topicFilter("bus/+").qos(MqttQos.AT_LEAST_ONCE).send());
    await().until(() -> !second.isEmpty());
    assertEquals(List.of("bus/b=marker:true"), second, "the clear from the bus removed bus/a");
    get(c1.disconnect());
    get(c2.disconnect());
  }

  @Test
  void givenTheRetainedCap_whenABusPublisherRetainsANewTopic_thenThePublishFailsOverloadedAndIsNotRouted() throws Exception {
    try (BrokerPeers capped = BrokerPeers.start(BrokerPeers.onFreePort().setMaxRetainedMessages(1).setSysIntervalSeconds(0))) {
      List<FlowMessage> routed = new CopyOnWriteArrayList<>();
      join(capped.bus.subscribe("cap/#", routed::add));
      join(capped.bus.publish(FlowMessage.builder("cap/1").payload("one").retain(true).build()));
      await().until(() -> !routed.isEmpty());
      ExecutionException refused = assertThrows(ExecutionException.class,
        () -> join(capped.bus.publish(FlowMessage.builder("cap/2").payload("two").retain(true).build())));
      assertEquals(FlowError.OVERLOADED, FlowException.from(refused.getCause()).error());
      assertEquals("retained message on cap/2 refused: the broker holds its maximum of 1 retained messages (maxRetainedMessages)",
        refused.getCause().getMessage());
      assertEquals(List.of("cap/1"), routed.stream().map(FlowMessage::topic).toList());
    }
  }

  /** Sets {@value #MANY} retained messages under {@code many/}, a window of publishes at a time. */
  private static void retainMany() throws Exception {
    List<Future<PublishResult>> window = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      window.add(peers.bus.publish(FlowMessage.builder("many/" + i).payload("m" + i).qos(QoS.AT_LEAST_ONCE).retain(true).build()));
      if (window.size() == 1000) {
        join(Future.all(window));
        window.clear();
      }
    }
    join(Future.all(window));
  }

  private static double dropped() {
    return FlowMetrics.registry(peers.vertx).find("flowsdk_mqtt_broker_dropped_total").counters().stream()
      .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void givenAHundredThousandRetained_whenQos1WithReceiveMaximum10AndQos0Subscribe_thenEachGetsEveryOneExactlyOnce()
    throws Exception {
    retainMany();
    Set<String> qos1 = ConcurrentHashMap.newKeySet();
    AtomicInteger qos1Duplicates = new AtomicInteger();
    Mqtt5AsyncClient c1 = Mqtt5Client.builder().identifier("many-qos1").serverHost("127.0.0.1").serverPort(peers.port)
      .buildAsync();
    c1.publishes(MqttGlobalPublishFilter.ALL, p -> {
      if (!p.isRetain() || !qos1.add(p.getTopic().toString())) {
        qos1Duplicates.incrementAndGet();
      }
    });
    get(c1.connectWith().restrictions().receiveMaximum(10).applyRestrictions().send());

    Set<String> qos0 = ConcurrentHashMap.newKeySet();
    AtomicInteger qos0Duplicates = new AtomicInteger();
    Mqtt5AsyncClient c0 = Mqtt5Client.builder().identifier("many-qos0").serverHost("127.0.0.1").serverPort(peers.port)
      .buildAsync();
    c0.publishes(MqttGlobalPublishFilter.ALL, p -> {
      if (!p.isRetain() || !qos0.add(p.getTopic().toString())) {
        qos0Duplicates.incrementAndGet();
      }
    });
    get(c0.connect());

    get(c1.subscribeWith().topicFilter("many/#").qos(MqttQos.AT_LEAST_ONCE).send());
    get(c0.subscribeWith().topicFilter("#").qos(MqttQos.AT_MOST_ONCE).send());
    await().atMost(Duration.ofSeconds(180)).until(() -> qos1.size() == MANY && qos0.size() >= MANY
      || dropped() > 0);
    assertEquals(0.0, dropped(), "deliveries dropped");
    assertEquals(MANY, qos1.size());
    assertEquals(0, qos1Duplicates.get());
    assertEquals(0, qos0Duplicates.get());
    for (int i = 0; i < MANY; i++) {
      if (!qos0.contains("many/" + i)) {
        throw new AssertionError("QoS 0 subscriber missed many/" + i);
      }
    }
    get(c1.disconnect());
    get(c0.disconnect());
  }
}
