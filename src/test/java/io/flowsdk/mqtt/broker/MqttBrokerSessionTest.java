package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sessions across cut connections, on raw sockets so each cut falls exactly where the test wants it. */
class MqttBrokerSessionTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  static MqttMessage ack(MqttMessageType type, int packetId) {
    return new MqttMessage(new MqttFixedHeader(type, false, type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE
      : MqttQoS.AT_MOST_ONCE, false, 0), MqttMessageIdVariableHeader.from(packetId));
  }

  static MqttMessage publish(String topic, int qos, int packetId, boolean dup, String payload) {
    MqttPublishMessage p = MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(packetId)
      .payload(Unpooled.copiedBuffer(payload.getBytes())).build();
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), false, 0),
      p.variableHeader(), p.payload());
  }

  static double sessions() {
    return FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_sessions").gauge().value();
  }

  static RawMqttClient connect(String id, boolean cleanStart, boolean expectPresent) throws Exception {
    RawMqttClient raw = peers.rawConnecting(peers.port, true, BrokerPeers.connect(id, true, cleanStart, 300));
    MqttConnAckMessage connack = (MqttConnAckMessage) join(raw.next(WAIT));
    assertEquals(expectPresent, connack.variableHeader().isSessionPresent(), "session present");
    return raw;
  }

  @Test
  void givenAQos2PublishWhosePubrelNeverCame_whenTheClientResendsItAfterACut_thenTheBusHasItOnce() throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("once/in", onBus::add));
    RawMqttClient first = connect("qos2-in", true, false);
    join(first.send(publish("once/in", 2, 5, false, "exactly")));
    assertEquals(MqttMessageType.PUBREC, join(first.next(WAIT)).fixedHeader().messageType());
    join(first.close()); // cut before PUBREL

    RawMqttClient second = connect("qos2-in", false, true);
    try {
      join(second.send(publish("once/in", 2, 5, true, "exactly")));
      MqttMessage pubrec = join(second.next(WAIT));
      assertEquals(MqttMessageType.PUBREC, pubrec.fixedHeader().messageType());
      join(second.send(ack(MqttMessageType.PUBREL, 5)));
      assertEquals(MqttMessageType.PUBCOMP, join(second.next(WAIT)).fixedHeader().messageType());
      // a marker behind it: once it is on the bus, anything the resend caused would be too
      join(second.send(publish("once/in", 1, 6, false, "marker")));
      assertEquals(MqttMessageType.PUBACK, join(second.next(WAIT)).fixedHeader().messageType());
    } finally {
      join(second.close());
    }
    await().until(() -> onBus.size() >= 2);
    assertEquals(List.of("exactly", "marker"), onBus.stream().map(m -> m.payload().toString()).toList());
  }

  @Test
  void givenAQos2DeliveryCutBeforePubrec_whenTheSubscriberResumes_thenItGetsTheSamePacketWithDupThenPubrelOnce()
    throws Exception {
    RawMqttClient first = connect("qos2-out", true, false);
    join(first.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, "once/out").build()));
    assertEquals(MqttMessageType.SUBACK, join(first.next(WAIT)).fixedHeader().messageType());
    join(peers.bus.publish(FlowMessage.builder("once/out").payload("p").qos(QoS.EXACTLY_ONCE).build()));
    MqttPublishMessage sent = (MqttPublishMessage) join(first.next(WAIT));
    assertEquals(false, sent.fixedHeader().isDup());
    join(first.close()); // cut before PUBREC

    RawMqttClient second = connect("qos2-out", false, true);
    try {
      MqttPublishMessage again = (MqttPublishMessage) join(second.next(WAIT));
      assertEquals(true, again.fixedHeader().isDup());
      assertEquals(sent.variableHeader().packetId(), again.variableHeader().packetId());
      join(second.send(ack(MqttMessageType.PUBREC, again.variableHeader().packetId())));
      MqttMessage pubrel = join(second.next(WAIT));
      assertEquals(MqttMessageType.PUBREL, pubrel.fixedHeader().messageType());
      join(second.close()); // cut before PUBCOMP: the PUBREL comes again, not the PUBLISH
    } finally {
      join(second.close());
    }
    RawMqttClient third = connect("qos2-out", false, true);
    try {
      MqttMessage pubrel = join(third.next(WAIT));
      assertEquals(MqttMessageType.PUBREL, pubrel.fixedHeader().messageType());
      join(third.send(ack(MqttMessageType.PUBCOMP, ((MqttMessageIdVariableHeader) pubrel.variableHeader()).messageId())));
      join(peers.bus.publish(FlowMessage.builder("once/out").payload("next").qos(QoS.AT_LEAST_ONCE).build()));
      MqttPublishMessage next = (MqttPublishMessage) join(third.next(WAIT));
      assertEquals("next", next.payload().toString(StandardCharsets.UTF_8));
    } finally {
      join(third.close());
    }
  }

  @Test
  void givenAPersistentSession_whenMessagesArriveWhileAway_thenTheResumedClientGetsThemInOrder() throws Exception {
    RawMqttClient first = connect("away", true, false);
    join(first.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, "away/#").build()));
    assertEquals(MqttMessageType.SUBACK, join(first.next(WAIT)).fixedHeader().messageType());
    join(first.send(MqttMessageBuilders.disconnect().build()));
    assertEquals(List.of(), join(first.untilClosed(WAIT)));
    for (int i = 1; i <= 3; i++) {
      join(peers.bus.publish(FlowMessage.builder("away/" + i).payload("m" + i).qos(QoS.AT_LEAST_ONCE).build()));
    }
    RawMqttClient back = connect("away", false, true);
    try {
      for (int i = 1; i <= 3; i++) {
        MqttPublishMessage m = (MqttPublishMessage) join(back.next(WAIT));
        assertEquals("away/" + i, m.variableHeader().topicName());
        join(back.send(ack(MqttMessageType.PUBACK, m.variableHeader().packetId())));
      }
    } finally {
      join(back.close());
    }
  }

  @Test
  void givenAConnectedClient_whenAnotherConnectsWithItsId_thenTheFirstGetsDisconnect0x8E() throws Exception {
    RawMqttClient first = connect("taken", true, false);
    RawMqttClient second = connect("taken", false, true);
    try {
      List<MqttMessage> last = join(first.untilClosed(WAIT));
      assertEquals(MqttMessageType.DISCONNECT, last.get(0).fixedHeader().messageType());
      assertEquals(0x8E, ((MqttReasonCodeAndPropertiesVariableHeader) last.get(0).variableHeader())
        .reasonCode() & 0xFF);
      join(second.send(RawPacket.v5().pingreq().build()));
      assertEquals(MqttMessageType.PINGRESP, join(second.next(WAIT)).fixedHeader().messageType());
    } finally {
      join(second.close());
      join(first.close());
    }
  }

  @Test
  void givenAPersistentSession_whenTheClientDisconnectsWithSessionExpiry0_thenTheSessionEndsAndIsNotPresentOnReturn()
    throws Exception {
    RawMqttClient first = connect("short-lived", true, false);
    double sessions = sessions();
    MqttProperties expiry = new MqttProperties();
    expiry.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 0));
    join(first.send(MqttMessageBuilders.disconnect().reasonCode((byte) 0).properties(expiry).build()));
    assertEquals(List.of(), join(first.untilClosed(WAIT)));
    await().until(() -> sessions() == sessions - 1);
    connect("short-lived", false, false).close();
  }
}
