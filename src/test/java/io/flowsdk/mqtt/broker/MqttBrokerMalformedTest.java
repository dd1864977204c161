package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.PacketSummary;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input on raw sockets: each closes only its own connection (MQTT 5 clients hear why first),
 * while a client connected throughout keeps working.
 */
class MqttBrokerMalformedTest {

  static BrokerPeers peers;
  static RawMqtt bystander;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
    bystander = new RawMqtt(peers.port, MqttVersion.MQTT_3_1_1).send(RawMqtt.connect("bystander", MqttVersion.MQTT_3_1_1));
    assertEquals(MqttMessageType.CONNACK, bystander.readPacket().fixedHeader().messageType());
  }

  @AfterAll
  static void stop() throws Exception {
    assertBystanderUnaffected();
    bystander.close();
    peers.close();
  }

  private static void assertBystanderUnaffected() throws Exception {
    bystander.send(RawMqtt.bytes(0xC0, 0x00));
    assertEquals(MqttMessageType.PINGRESP, bystander.readPacket().fixedHeader().messageType());
  }

  private static List<MqttMessage> connectedThen(String id, MqttVersion version, byte[] bad) throws Exception {
    try (RawMqtt raw = new RawMqtt(peers.port, version)) {
      raw.send(RawMqtt.connect(id, version));
      assertEquals(MqttMessageType.CONNACK, raw.readPacket().fixedHeader().messageType());
      List<MqttMessage> rest = raw.send(bad).readUntilClosed();
      assertBystanderUnaffected();
      return rest;
    }
  }

  private static int disconnectReason(List<MqttMessage> packets) {
    MqttMessage last = packets.get(packets.size() - 1);
    assertEquals(MqttMessageType.DISCONNECT, last.fixedHeader().messageType(), "packets: " + packets);
    return ((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode() & 0xFF;
  }

  @Test
  void givenAPacketBeforeConnect_thenTheConnectionCloses() throws Exception {
    try (RawMqtt raw = new RawMqtt(peers.port, MqttVersion.MQTT_3_1_1)) {
      assertEquals(List.of(), raw.send(RawMqtt.bytes(0xC0, 0x00)).readUntilClosed()); // MQTT-3.1.0-1
    }
    assertBystanderUnaffected();
  }

  @Test
  void givenASecondConnect_thenTheConnectionCloses() throws Exception { // MQTT-3.1.0-2
    assertEquals(List.of(), connectedThen("twice", MqttVersion.MQTT_3_1_1, RawMqtt.connect("twice", MqttVersion.MQTT_3_1_1)));
  }

  @Test
  void givenAWildcardInAPublishTopicName_thenTheConnectionCloses() throws Exception { // MQTT-3.3.2-2
    byte[] publish = RawMqtt.bytes(0x30, 0x06, 0x00, 0x03, 'a', '/', '+', 'x');
    assertEquals(List.of(), connectedThen("wild3", MqttVersion.MQTT_3_1_1, publish));
    List<MqttMessage> v5 = connectedThen("wild5", MqttVersion.MQTT_5, RawMqtt.bytes(0x30, 0x07, 0x00, 0x03, 'a', '/', '#', 0x00, 'x'));
    assertEquals(0x81, disconnectReason(v5), "Netty's decoder rejects it: Malformed Packet (MQTT 5, 4.13.1)");
  }

  @Test
  void givenBadFixedHeaderFlags_thenTheConnectionCloses() throws Exception {
    // SUBSCRIBE must have flags 0010 (MQTT-3.8.1-1); 0x80 has 0000
    byte[] subscribe = RawMqtt.bytes(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00);
    assertEquals(List.of(), connectedThen("flags", MqttVersion.MQTT_3_1_1, subscribe));
    // PUBLISH with QoS 3 (both QoS bits set) is malformed (MQTT-3.3.1-4)
    assertEquals(List.of(), connectedThen("qos3", MqttVersion.MQTT_3_1_1, RawMqtt.bytes(0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01)));
  }

  @Test
  void givenTopicAliases_whenAnAliasIsSetThenUsed_thenBothArriveOnTheTopicAndAnAliasAboveTheMaximumIsDisconnect0x94()
    throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("alias/topic", onBus::add));
    try (RawMqtt raw = new RawMqtt(peers.port, MqttVersion.MQTT_5)) {
      raw.send(RawMqtt.connect("aliaser", MqttVersion.MQTT_5));
      MqttConnAckMessage connack = (MqttConnAckMessage) raw.readPacket();
      assertEquals(16, connack.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM).value());
      raw.send(publish("alias/topic", 1, "first"));
      raw.send(publish("", 1, "second"));
      await().until(() -> onBus.size() == 2);
      assertEquals("first,second", onBus.get(0).payload() + "," + onBus.get(1).payload());
      assertEquals(0x94, disconnectReason(raw.send(publish("alias/topic", 17, "x")).readUntilClosed()));
    }
    assertBystanderUnaffected();
  }

  @Test
  void givenAnUnknownTopicAlias_thenDisconnectProtocolError() throws Exception {
    try (RawMqtt raw = new RawMqtt(peers.port, MqttVersion.MQTT_5)) {
      raw.send(RawMqtt.connect("unknown-alias", MqttVersion.MQTT_5));
      raw.readPacket();
      assertEquals(0x82, disconnectReason(raw.send(publish("", 3, "x")).readUntilClosed()));
    }
  }

  private static double protocolErrors(String reason) {
    return FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_protocol_errors_total", "reason", reason).count();
  }

  /** Netty's decoder would read the bad topic as U+FFFD: the broker checks the bytes ahead of it. */
  @Test
  void givenAGoodPublishThenOneWithIllFormedUtf8InOneWrite_thenTheFirstIsPublishedThenDisconnectMalformedCounted() throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("wire/good", onBus::add));
    double before = protocolErrors("malformed_packet");
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, true));
    try {
      join(client.send(RawPacket.v5().connect().clientId("ill-formed").build()));
      assertEquals(MqttMessageType.CONNACK, PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).type());
      join(client.send(RawPacket.v5().publish().topic("wire/good").payload("good").build(),
        RawPacket.v5().publish().topic(new byte[] {'w', (byte) 0xC0, (byte) 0xAF}).payload("bad").build()));
      assertEquals("DISCONNECT 0x81", PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).toString());
      join(client.awaitClose(Duration.ofSeconds(5)));
    } finally {
      join(client.close());
    }
    await().until(() -> onBus.size() == 1);
    assertEquals("good", onBus.get(0).payload().toString());
    assertEquals(before + 1, protocolErrors("malformed_packet"));
    assertBystanderUnaffected();
  }

  @Test
  void givenAConnectWithSessionExpiryTwice_thenConnackProtocolErrorAndCloseCounted() throws Exception {
    double before = protocolErrors("protocol_error");
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, true));
    try {
      join(client.send(RawPacket.v5().connect().clientId("twice-expiry")
        .properties(RawProperties.create().sessionExpiryInterval(1).sessionExpiryInterval(2)).build()));
      assertEquals("CONNACK 0x82", PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).toString());
      join(client.awaitClose(Duration.ofSeconds(5)));
    } finally {
      join(client.close());
    }
    assertEquals(before + 1, protocolErrors("protocol_error"));
  }

  private static MqttMessage publish(String topic, int alias, String payload) {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
    return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_MOST_ONCE).properties(props)
      .payload(Unpooled.copiedBuffer(payload.getBytes())).build();
  }
}
