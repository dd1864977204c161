package io.flowsdk.mqtt.broker;

import io.flowsdk.testing.PahoArrivals;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5 features with an independent client: the HiveMQ MQTT client. */
class MqttBrokerHiveTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static Mqtt5AsyncClient client(String id) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(peers.port).buildAsync();
    get(c.connect());
    return c;
  }

  static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  static void publish(Mqtt5AsyncClient c, String topic, String payload, boolean retain) throws Exception {
    get(c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
      .payload(payload.getBytes(StandardCharsets.UTF_8)).send());
  }

  @Test
  void givenTwoMembersOfASharedGroup_whenTwentyArrive_thenEachGoesToExactlyOneMemberAndBothGetSome() throws Exception {
    List<String> a = new CopyOnWriteArrayList<>();
    List<String> b = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient ca = client("share-a");
    Mqtt5AsyncClient cb = client("share-b");
    get(ca.subscribeWith().topicFilter("$share/g/shared/+").qos(MqttQos.AT_LEAST_ONCE).callback(p -> a.add(text(p))).send());
    get(cb.subscribeWith().topicFilter("$share/g/shared/+").qos(MqttQos.AT_LEAST_ONCE).callback(p -> b.add(text(p))).send());
    for (int i = 0; i < 20; i++) {
      join(peers.bus.publish(FlowMessage.builder("shared/t").payload("m" + i).qos(QoS.AT_LEAST_ONCE).build()));
    }
    await().until(() -> a.size() + b.size() >= 20);
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    assertEquals(20, all.size(), "no message went to both");
    assertEquals(20, a.size() + b.size());
    assertTrue(!a.isEmpty() && !b.isEmpty(), "a=" + a + " b=" + b);
    get(ca.disconnect());
    get(cb.disconnect());
  }

  /**
   * The shared hand-on with an independent client as the member that leaves: its QoS 1 messages sent and
   * never acknowledged go to the other member when it disconnects, each once, in order.
   */
  @Test
  void givenAHiveMqMemberThatNeverAcknowledges_whenItDisconnects_thenTheOtherMemberGetsItsMessagesOnceInOrder()
    throws Exception {
    List<String> toLeaving = new CopyOnWriteArrayList<>();
    List<String> toStaying = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient leaving = Mqtt5Client.builder().identifier("handon-leaving").serverHost("127.0.0.1").serverPort(peers.port)
      .buildAsync();
    leaving.publishes(MqttGlobalPublishFilter.ALL, p -> toLeaving.add(text(p)), true); // manual acknowledgement, never given
    get(leaving.connect());
    get(leaving.subscribeWith().topicFilter("$share/h/handon/+").qos(MqttQos.AT_LEAST_ONCE).send());
    double handedOnBefore = MqttBrokerSharedHandOnTest.handedOn(peers);
    List<String> sent = List.of("m0", "m1", "m2", "m3", "m4");
    for (String m : sent) {
      join(peers.bus.publish(FlowMessage.builder("handon/t").payload(m).qos(QoS.AT_LEAST_ONCE).build()));
    }
    await().until(() -> toLeaving.size() == sent.size());
    Mqtt5AsyncClient staying = client("handon-staying");
    get(staying.subscribeWith().topicFilter("$share/h/handon/+").qos(MqttQos.AT_LEAST_ONCE).callback(p -> toStaying.add(text(p)))
      .send());
    assertEquals(List.of(), toStaying, "nothing for the new member while the first holds every message");

    get(leaving.disconnect());
    await().until(() -> toStaying.size() >= sent.size());
    assertEquals(sent, toStaying);
    MqttBrokerSharedHandOnTest.assertHandedOn(peers, handedOnBefore + sent.size());
    get(staying.disconnect());
  }

  @Test
  void givenNoLocal_whenTheSubscriberPublishesItselfAndAnotherClientToo_thenOnlyTheOtherArrives() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient self = client("nolocal-self");
    Mqtt5AsyncClient other = client("nolocal-other");
    get(self.subscribeWith().topicFilter("nolocal/t").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).callback(p -> got.add(text(p))).send());
    publish(self, "nolocal/t", "own", false);
    publish(other, "nolocal/t", "other", false);
    await().until(() -> !got.isEmpty());
    assertEquals(List.of("other"), got);
    get(self.disconnect());
    get(other.disconnect());
  }

  private static void subscribe(Mqtt5AsyncClient c, String filter, Mqtt5RetainHandling handling, boolean rap) throws Exception {
    get(c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).retainHandling(handling).retainAsPublished(rap).send());
  }

  /** A client whose every incoming PUBLISH goes to {@code received} once, as {@code payload:retain}. */
  static Mqtt5AsyncClient recording(String id, List<String> received) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(peers.port).buildAsync();
    c.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(text(p) + ":" + p.isRetain()));
    get(c.connect());
    return c;
  }

  @Test
  void givenARetainedMessage_thenRetainHandling012AndRetainAsPublishedBehaveAsSpecified() throws Exception {
    Mqtt5AsyncClient pub = client("rh-pub");
    publish(pub, "rh/t", "kept", true);

    List<String> send = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c0 = recording("rh-0", send);
    subscribe(c0, "rh/t", Mqtt5RetainHandling.SEND, false);
    subscribe(c0, "rh/t", Mqtt5RetainHandling.SEND, false);

    List<String> ifNew = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c1 = recording("rh-1", ifNew);
    subscribe(c1, "rh/t", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, true);
    subscribe(c1, "rh/t", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, true);

    List<String> never = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c2 = recording("rh-2", never);
    subscribe(c2, "rh/t", Mqtt5RetainHandling.DO_NOT_SEND, false);

    publish(pub, "rh/t", "live", true);
    await().until(() -> send.size() == 3 && ifNew.size() == 2 && never.size() == 1);
    assertEquals(List.of("kept:true", "kept:true", "live:false"), send, "retained on each subscribe; live without RAP: retain 0");
    assertEquals(List.of("kept:true", "live:true"), ifNew, "retained on the new subscription only; RAP keeps retain 1");
    assertEquals(List.of("live:false"), never);
    publish(pub, "rh/t", "", true);
    for (Mqtt5AsyncClient c : List.of(pub, c0, c1, c2)) {
      get(c.disconnect());
    }
  }

  @Test
  void givenASubscriptionIdentifier_whenAMessageMatches_thenItCarriesTheIdentifier() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    MqttAsyncClient paho = new MqttAsyncClient(
      "tcp://127.0.0.1:" + peers.port, "subid", null);
    paho.setCallback(new PahoArrivals((topic, message) -> got.add(topic + " " + message.getProperties().getSubscriptionIdentifiers())));
    paho.connect().waitForCompletion(10_000);
    MqttProperties props = new MqttProperties();
    props.setSubscriptionIdentifier(42);
    paho.subscribe(new MqttSubscription[] {new MqttSubscription("subid/+", 1)}, null, null, props).waitForCompletion(10_000);
    join(peers.bus.publish(FlowMessage.builder("subid/x").payload("m").qos(QoS.AT_LEAST_ONCE).build()));
    await().until(() -> !got.isEmpty());
    assertEquals(List.of("subid/x [42]"), got);
    paho.disconnect().waitForCompletion(10_000);
    paho.close();
  }

  @Test
  void givenAUserPropertyContentTypeAndResponseTopic_whenPublished_thenTheBusAndTheSubscriberGetThemUnchanged() throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("props/t", onBus::add));
    List<Mqtt5Publish> got = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient sub = client("props-sub");
    get(sub.subscribeWith().topicFilter("props/t").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send());
    Mqtt5AsyncClient pub = client("props-pub");
    get(pub.publishWith().topic("props/t").qos(MqttQos.AT_LEAST_ONCE).payload("p".getBytes()).contentType("text/plain")
      .responseTopic("props/reply").correlationData("c1".getBytes()).userProperties().add("k", "v").add("k", "w")
      .applyUserProperties().send());
    await().until(() -> got.size() == 1 && onBus.size() == 1);
    assertEquals("text/plain props/reply [k=v, k=w]", onBus.get(0).contentType() + " " + onBus.get(0).responseTopic() + " "
      + onBus.get(0).headers().stream().map(h -> h.name() + "=" + h.value()).collect(Collectors.toList()));
    Mqtt5Publish p = got.get(0);
    assertEquals("text/plain props/reply c1 [(k, v), (k, w)]", p.getContentType().orElseThrow() + " "
      + p.getResponseTopic().orElseThrow() + " " + StandardCharsets.UTF_8.decode(p.getCorrelationData().orElseThrow()) + " "
      + p.getUserProperties().asList().stream().map(u -> "(" + u.getName() + ", " + u.getValue() + ")").collect(Collectors.toList()));
    get(sub.disconnect());
    get(pub.disconnect());
  }
}
