package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.ack;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared subscriber that leaves without acknowledging: its QoS 1/2 messages go to another member of
 * the group, once, or stay in its session when there is none. Raw sockets, so the member really never
 * acknowledges; each group member subscribes only once the messages meant for the first are on their way.
 */
class MqttBrokerSharedHandOnTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  static double handedOn(BrokerPeers node) {
    return FlowMetrics.registry(node.vertx).get("flowsdk_mqtt_broker_shared_handed_on_total").counter().count();
  }

  /**
   * {@code node}'s hand-on count reaches {@code expected} and stays there: a hand-on is counted when the bus reports
   * where the message went, which may come after the new member has it.
   */
  static void assertHandedOn(BrokerPeers node, double expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> handedOn(node) >= expected);
    assertEquals(expected, handedOn(node));
  }

  /** A client of {@code node}'s broker, connected over MQTT 5 with {@code sessionExpiry} (0: the session ends with the connection) and a Receive Maximum. */
  static RawMqttClient connect(BrokerPeers node, String id, boolean cleanStart, int sessionExpiry, int receiveMaximum,
                               boolean expectPresent) throws Exception {
    RawPacket connect = RawPacket.v5().connect().clientId(id).cleanStart(cleanStart)
      .properties(RawProperties.create().sessionExpiryInterval(sessionExpiry).receiveMaximum(receiveMaximum)).build();
    RawMqttClient raw = node.rawConnecting(node.port, true, connect);
    MqttConnAckMessage connack = (MqttConnAckMessage) join(raw.next(WAIT));
    assertEquals(expectPresent, connack.variableHeader().isSessionPresent(), "session present");
    return raw;
  }

  static void subscribe(RawMqttClient client, String filter, MqttQoS qos) throws Exception {
    join(client.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, filter).build()));
    assertEquals(MqttMessageType.SUBACK, join(client.next(WAIT)).fixedHeader().messageType());
  }

  static void publish(BrokerPeers node, String topic, String payload, QoS qos) throws Exception {
    join(node.bus.publish(FlowMessage.builder(topic).payload(payload).qos(qos).build()));
  }

  static MqttPublishMessage nextPublish(RawMqttClient client) throws Exception {
    MqttMessage m = join(client.next(WAIT));
    assertEquals(MqttMessageType.PUBLISH, m.fixedHeader().messageType(), "expected a PUBLISH, got " + m);
    return (MqttPublishMessage) m;
  }

  static String text(MqttPublishMessage p) {
    return p.payload().toString(StandardCharsets.UTF_8);
  }

  /** Acknowledges the next PUBLISH of {@code client} and says what it carried. */
  static String ackNext(RawMqttClient client) throws Exception {
    MqttPublishMessage p = nextPublish(client);
    join(client.send(ack(MqttMessageType.PUBACK, p.variableHeader().packetId())));
    return text(p);
  }

  /**
   * The member {@code <name>-a} of group {@code <name>} (filter {@code $share/<name>/jobs/#}) on {@code node}: a
   * persistent session (expiry 300 s) also subscribed to its marker topic {@code <name>-a/marker}, at QoS 1.
   */
  static RawMqttClient persistentMember(BrokerPeers node, String name) throws Exception {
    RawMqttClient member = connect(node, name + "-a", true, 300, 10, false);
    subscribe(member, "$share/" + name + "/jobs/#", MqttQoS.AT_LEAST_ONCE);
    subscribe(member, name + "-a/marker", MqttQoS.AT_LEAST_ONCE);
    return member;
  }

  /** The session of {@link #persistentMember} {@code <name>-a} resumes and gets its marker as its first PUBLISH. */
  static void assertResumesWithNothingBeforeItsMarker(BrokerPeers node, String name, String message) throws Exception {
    RawMqttClient back = connect(node, name + "-a", false, 300, 10, true);
    try {
      publish(node, name + "-a/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(back), message);
    } finally {
      join(back.send(MqttMessageBuilders.disconnect().build()));
      join(back.close());
    }
  }

  /**
   * A persistent member {@code <name>-a} of group {@code <name>} on {@code nodeOfA}, holding a QoS 1 message,
   * leaves without PUBACK: the member {@code <name>-b} on {@code nodeOfB} gets it once, and the resumed
   * session of {@code <name>-a} does not get it again.
   */
  static void assertHandedOnOnceAndNotResent(BrokerPeers nodeOfA, BrokerPeers nodeOfB, String name) throws Exception {
    String topic = "jobs/" + name;
    String filter = "$share/" + name + "/jobs/#";
    double before = handedOn(nodeOfA);
    RawMqttClient a = persistentMember(nodeOfA, name);
    publish(nodeOfA, topic, "job", QoS.AT_LEAST_ONCE);
    assertEquals("job", text(nextPublish(a)));
    RawMqttClient b = connect(nodeOfB, name + "-b", true, 0, 10, false);
    try {
      subscribe(b, filter, MqttQoS.AT_LEAST_ONCE);
      subscribe(b, name + "-b/marker", MqttQoS.AT_LEAST_ONCE);
      await().atMost(Duration.ofSeconds(20)).until(() -> join(nodeOfA.bus.routeOf(topic)).contains(nodeOfB.bus.nodeId()));

      join(a.close()); // no PUBACK

      assertEquals("job", ackNext(b));
      publish(nodeOfA, name + "-b/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(b), "the message came once");
      assertHandedOn(nodeOfA, before + 1);
    } finally {
      join(b.close());
    }
    assertResumesWithNothingBeforeItsMarker(nodeOfA, name, "the message another member took is not sent again on resume");
  }

  static double connections(BrokerPeers node) {
    return FlowMetrics.registry(node.vertx).get("flowsdk_mqtt_broker_connections").gauge().value();
  }

  /**
   * The persistent member {@code <name>-a} of group {@code <name>} on {@code nodeOfA} is away: the group's messages
   * published on {@code nodeOfA} all go to the connected member {@code <name>-b} on {@code nodeOfB}, none waits in
   * the away session, which resumes with nothing of them.
   */
  static void assertAwayMemberStandsBy(BrokerPeers nodeOfA, BrokerPeers nodeOfB, String name) throws Exception {
    String topic = "jobs/" + name;
    String filter = "$share/" + name + "/jobs/#";
    RawMqttClient a = persistentMember(nodeOfA, name);
    RawMqttClient b = connect(nodeOfB, name + "-b", true, 0, 100, false);
    try {
      subscribe(b, filter, MqttQoS.AT_LEAST_ONCE);
      await().atMost(Duration.ofSeconds(20)).until(() -> join(nodeOfA.bus.routeOf(topic)).contains(nodeOfB.bus.nodeId()));
      double connected = connections(nodeOfA);
      join(a.send(MqttMessageBuilders.disconnect().build()));
      join(a.close());
      await().atMost(WAIT).until(() -> connections(nodeOfA) == connected - 1); // its session is detached

      for (int i = 0; i < 6; i++) {
        publish(nodeOfA, topic, "job" + i, QoS.AT_LEAST_ONCE);
      }

      for (int i = 0; i < 6; i++) {
        assertEquals("job" + i, ackNext(b), "the connected member takes every message of the group");
      }
    } finally {
      join(b.close());
    }
    assertResumesWithNothingBeforeItsMarker(nodeOfA, name, "nothing of the group waited in the away session");
  }

  @Test
  void givenAPersistentMemberAway_whenTheGroupGetsMessages_thenTheConnectedMemberTakesEachAndTheResumeGetsNone()
    throws Exception {
    assertAwayMemberStandsBy(peers, peers, "away");
  }

  @Test
  void givenAPersistentMemberHoldingAQos1Message_whenItLeavesWithoutPuback_thenTheOtherMemberGetsItOnceAndTheResumeNot()
    throws Exception {
    assertHandedOnOnceAndNotResent(peers, peers, "hand");
  }

  @Test
  void givenACleanMemberWithOneMessageInFlightAndOneQueued_whenItLeaves_thenTheOtherMemberGetsBothInOrder() throws Exception {
    double before = handedOn(peers);
    RawMqttClient a = connect(peers, "clean-a", true, 0, 1, false);
    subscribe(a, "$share/g2/jobs/#", MqttQoS.EXACTLY_ONCE);
    publish(peers, "jobs/2", "first", QoS.AT_LEAST_ONCE);
    publish(peers, "jobs/2", "second", QoS.EXACTLY_ONCE); // queued behind the window of 1
    assertEquals("first", text(nextPublish(a)));
    RawMqttClient b = connect(peers, "clean-b", true, 0, 10, false);
    try {
      subscribe(b, "$share/g2/jobs/#", MqttQoS.EXACTLY_ONCE);
      subscribe(b, "clean-b/marker", MqttQoS.AT_LEAST_ONCE);

      join(a.close());

      assertEquals("first", ackNext(b));
      MqttPublishMessage second = nextPublish(b);
      assertEquals("second", text(second));
      assertEquals(MqttQoS.EXACTLY_ONCE, second.fixedHeader().qosLevel());
      join(b.send(ack(MqttMessageType.PUBREC, second.variableHeader().packetId())));
      assertEquals(MqttMessageType.PUBREL, join(b.next(WAIT)).fixedHeader().messageType());
      publish(peers, "clean-b/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(b), "each message came once");
      assertHandedOn(peers, before + 2);
    } finally {
      join(b.close());
    }
  }

  @Test
  void givenTheOnlyMemberLeavesWithoutPuback_whenItResumes_thenItGetsTheMessageAgainWithItsPacketId() throws Exception {
    double before = handedOn(peers);
    RawMqttClient a = connect(peers, "alone-a", true, 300, 10, false);
    subscribe(a, "$share/g3/jobs/#", MqttQoS.AT_LEAST_ONCE);
    publish(peers, "jobs/3", "job", QoS.AT_LEAST_ONCE);
    MqttPublishMessage sent = nextPublish(a);
    join(a.close());

    RawMqttClient back = connect(peers, "alone-a", false, 300, 10, true);
    try {
      MqttPublishMessage again = nextPublish(back);
      assertEquals("job", text(again));
      assertTrue(again.fixedHeader().isDup());
      assertEquals(sent.variableHeader().packetId(), again.variableHeader().packetId());
      assertEquals(before, handedOn(peers));
    } finally {
      join(back.send(MqttMessageBuilders.disconnect().build()));
      join(back.close());
    }
  }

  @Test
  void givenAMemberHoldingASentQos2Message_whenItLeaves_thenNoOtherMemberGetsItAndItsResumeCompletesIt() throws Exception {
    double before = handedOn(peers);
    RawMqttClient a = connect(peers, "qos2-a", true, 300, 10, false);
    subscribe(a, "$share/g4/jobs/#", MqttQoS.EXACTLY_ONCE);
    publish(peers, "jobs/4", "job", QoS.EXACTLY_ONCE);
    MqttPublishMessage sent = nextPublish(a);
    RawMqttClient b = connect(peers, "qos2-b", true, 0, 10, false);
    try {
      subscribe(b, "$share/g4/jobs/#", MqttQoS.EXACTLY_ONCE);
      subscribe(b, "qos2-b/marker", MqttQoS.AT_LEAST_ONCE);

      join(a.close()); // no PUBREC

      RawMqttClient back = connect(peers, "qos2-a", false, 300, 10, true);
      try {
        MqttPublishMessage again = nextPublish(back);
        assertEquals("job", text(again));
        assertEquals(sent.variableHeader().packetId(), again.variableHeader().packetId());
      } finally {
        join(back.send(MqttMessageBuilders.disconnect().build()));
        join(back.close());
      }
      publish(peers, "qos2-b/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(b), "a QoS 2 message once sent is not given to another member (MQTT-4.8.2-5)");
      assertEquals(before, handedOn(peers));
    } finally {
      join(b.close());
    }
  }
}
