package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
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
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

  static RawMqtt connect(String id, boolean cleanStart, boolean expectPresent) throws Exception {
    RawMqtt raw = new RawMqtt(peers.port, MqttVersion.MQTT_5).send(RawMqtt.connect(id, MqttVersion.MQTT_5, cleanStart, 300));
    MqttConnAckMessage connack = (MqttConnAckMessage) raw.readPacket();
    assertEquals(expectPresent, connack.variableHeader().isSessionPresent(), "session present");
    return raw;
  }

  @Test
  void givenAQos2PublishWhosePubrelNeverCame_whenTheClientResendsItAfterACut_thenTheBusHasItOnce() throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("once/in", onBus::add));
    RawMqtt first = connect("qos2-in", true, false);
    first.send(publish("once/in", 2, 5, false, "exactly"));
    assertEquals(MqttMessageType.PUBREC, first.readPacket().fixedHeader().messageType());
    first.close(); // cut before PUBREL

    try (RawMqtt second = connect("qos2-in", false, true)) {
      second.send(publish("once/in", 2, 5, true, "exactly"));
      MqttMessage pubrec = second.readPacket();
      assertEquals(MqttMessageType.PUBREC, pubrec.fixedHeader().messageType());
      second.send(ack(MqttMessageType.PUBREL, 5));
      assertEquals(MqttMessageType.PUBCOMP, second.readPacket().fixedHeader().messageType());
      // a marker behind it: once it is on the bus, anything the resend caused would be too
      second.send(publish("once/in", 1, 6, false, "marker"));
      assertEquals(MqttMessageType.PUBACK, second.readPacket().fixedHeader().messageType());
    }
    await().until(() -> onBus.size() >= 2);
    assertEquals(List.of("exactly", "marker"), onBus.stream().map(m -> m.payload().toString()).toList());
  }

  @Test
  void givenAQos2DeliveryCutBeforePubrec_whenTheSubscriberResumes_thenItGetsTheSamePacketWithDupThenPubrelOnce()
    throws Exception {
    RawMqtt first = connect("qos2-out", true, false);
    first.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, "once/out").build());
    assertEquals(MqttMessageType.SUBACK, first.readPacket().fixedHeader().messageType());
    join(peers.bus.publish(FlowMessage.builder("once/out").payload("p").qos(QoS.EXACTLY_ONCE).build()));
    MqttPublishMessage sent = (MqttPublishMessage) first.readPacket();
    assertEquals(false, sent.fixedHeader().isDup());
    first.close(); // cut before PUBREC

    try (RawMqtt second = connect("qos2-out", false, true)) {
      MqttPublishMessage again = (MqttPublishMessage) second.readPacket();
      assertEquals(true, again.fixedHeader().isDup());
      assertEquals(sent.variableHeader().packetId(), again.variableHeader().packetId());
      second.send(ack(MqttMessageType.PUBREC, again.variableHeader().packetId()));
      MqttMessage pubrel = second.readPacket();
      assertEquals(MqttMessageType.PUBREL, pubrel.fixedHeader().messageType());
      second.close(); // cut before PUBCOMP: the PUBREL comes again, not the PUBLISH
    }
    try (RawMqtt third = connect("qos2-out", false, true)) {
      MqttMessage pubrel = third.readPacket();
      assertEquals(MqttMessageType.PUBREL, pubrel.fixedHeader().messageType());
      third.send(ack(MqttMessageType.PUBCOMP, ((MqttMessageIdVariableHeader) pubrel.variableHeader()).messageId()));
      join(peers.bus.publish(FlowMessage.builder("once/out").payload("next").qos(QoS.AT_LEAST_ONCE).build()));
      MqttPublishMessage next = (MqttPublishMessage) third.readPacket();
      assertEquals("next", next.payload().toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void givenAPersistentSession_whenMessagesArriveWhileAway_thenTheResumedClientGetsThemInOrder() throws Exception {
    RawMqtt first = connect("away", true, false);
    first.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, "away/#").build());
    assertEquals(MqttMessageType.SUBACK, first.readPacket().fixedHeader().messageType());
    first.send(MqttMessageBuilders.disconnect().build());
    assertEquals(List.of(), first.readUntilClosed());
    for (int i = 1; i <= 3; i++) {
      join(peers.bus.publish(FlowMessage.builder("away/" + i).payload("m" + i).qos(QoS.AT_LEAST_ONCE).build()));
    }
    try (RawMqtt back = connect("away", false, true)) {
      for (int i = 1; i <= 3; i++) {
        MqttPublishMessage m = (MqttPublishMessage) back.readPacket();
        assertEquals("away/" + i, m.variableHeader().topicName());
        back.send(ack(MqttMessageType.PUBACK, m.variableHeader().packetId()));
      }
    }
  }

  @Test
  void givenAConnectedClient_whenAnotherConnectsWithItsId_thenTheFirstGetsDisconnect0x8E() throws Exception {
    try (RawMqtt first = connect("taken", true, false); RawMqtt second = connect("taken", false, true)) {
      List<MqttMessage> last = first.readUntilClosed();
      assertEquals(MqttMessageType.DISCONNECT, last.get(0).fixedHeader().messageType());
      assertEquals(0x8E, ((MqttReasonCodeAndPropertiesVariableHeader) last.get(0).variableHeader())
        .reasonCode() & 0xFF);
      second.send(RawMqtt.bytes(0xC0, 0x00));
      assertEquals(MqttMessageType.PINGRESP, second.readPacket().fixedHeader().messageType());
    }
  }

  @Test
  void givenAPersistentSession_whenTheClientDisconnectsWithSessionExpiry0_thenTheSessionEndsAndIsNotPresentOnReturn()
    throws Exception {
    RawMqtt first = connect("short-lived", true, false);
    double sessions = sessions();
    MqttProperties expiry = new MqttProperties();
    expiry.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 0));
    first.send(MqttMessageBuilders.disconnect().reasonCode((byte) 0).properties(expiry).build());
    assertEquals(List.of(), first.readUntilClosed());
    await().until(() -> sessions() == sessions - 1);
    connect("short-lived", false, false).close();
  }
}
