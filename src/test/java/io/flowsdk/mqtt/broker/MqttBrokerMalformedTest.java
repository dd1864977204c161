package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.PacketSummary;
import io.flowsdk.mqtt.testing.PacketType;
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
  static final Duration WAIT = Duration.ofSeconds(10);
  static RawMqttClient bystander;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
    bystander = connected("bystander", false);
  }

  @AfterAll
  static void stop() throws Exception {
    assertBystanderUnaffected();
    join(bystander.close());
    peers.close();
  }

  private static void assertBystanderUnaffected() throws Exception {
    join(bystander.send(RawPacket.v311().pingreq().build()));
    assertEquals(MqttMessageType.PINGRESP, PacketSummary.of(join(bystander.next(WAIT))).type());
  }

  private static RawMqttClient connected(String id, boolean v5) throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, v5));
    join(client.send((v5 ? RawPacket.v5() : RawPacket.v311()).connect().clientId(id).build()));
    assertEquals(MqttMessageType.CONNACK, PacketSummary.of(join(client.next(WAIT))).type());
    return client;
  }

  private static List<MqttMessage> connectedThen(String id, boolean v5, RawPacket bad) throws Exception {
    RawMqttClient client = connected(id, v5);
    try {
      join(client.send(bad));
      List<MqttMessage> rest = join(client.untilClosed(WAIT));
      assertBystanderUnaffected();
      return rest;
    } finally {
      join(client.close());
    }
  }

  private static RawPacket bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return RawPacket.of(PacketType.values()[(b[0] >> 4 & 0x0F) - 1], b);
  }

  private static int disconnectReason(List<MqttMessage> packets) {
    MqttMessage last = packets.get(packets.size() - 1);
    assertEquals(MqttMessageType.DISCONNECT, last.fixedHeader().messageType(), "packets: " + packets);
    return ((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode() & 0xFF;
  }

  @Test
  void givenAPacketBeforeConnect_thenTheConnectionCloses() throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, false));
    try {
      join(client.send(RawPacket.v311().pingreq().build()));
      assertEquals(List.of(), join(client.untilClosed(WAIT))); // MQTT-3.1.0-1
    } finally {
      join(client.close());
    }
    assertBystanderUnaffected();
  }

  @Test
  void givenASecondConnect_thenTheConnectionCloses() throws Exception { // MQTT-3.1.0-2
    assertEquals(List.of(), connectedThen("twice", false, RawPacket.v311().connect().clientId("twice").build()));
    List<MqttMessage> v5 = connectedThen("twice5", true, RawPacket.v5().connect().clientId("twice5").build());
    assertEquals(0x82, disconnectReason(v5), "Protocol Error");
  }

  /**
   * Netty's decoder refuses a CONNECT of an unknown protocol name, and vertx-mqtt answered that one from an endpoint
   * of its own, so the connection's close was never seen: the client stayed connected after its socket closed.
   */
  @Test
  void givenASecondConnectOfAnUnknownProtocol_thenItIsAProtocolErrorAndTheConnectionIsGone() throws Exception {
    double connections = FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_connections").gauge().value();
    RawPacket unknownProtocol = bytes(0x10, 0x0e, 0x00, 0x04, 'M', 'a', '/', 'b', 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 'x');

    List<MqttMessage> v5 = connectedThen("unknown-protocol", true, unknownProtocol);

    assertEquals(0x82, disconnectReason(v5), "Protocol Error (MQTT-3.1.0-2)");
    await().atMost(WAIT).until(() -> FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_connections").gauge().value()
      == connections);
  }

  @Test
  void givenAWildcardInAPublishTopicName_thenTheConnectionCloses() throws Exception { // MQTT-3.3.2-2
    RawPacket publish = bytes(0x30, 0x06, 0x00, 0x03, 'a', '/', '+', 'x');
    assertEquals(List.of(), connectedThen("wild3", false, publish));
    List<MqttMessage> v5 = connectedThen("wild5", true, bytes(0x30, 0x07, 0x00, 0x03, 'a', '/', '#', 0x00, 'x'));
    assertEquals(0x81, disconnectReason(v5), "Netty's decoder rejects it: Malformed Packet (MQTT 5, 4.13.1)");
  }

  @Test
  void givenBadFixedHeaderFlags_thenTheConnectionCloses() throws Exception {
    // SUBSCRIBE must have flags 0010 (MQTT-3.8.1-1); 0x80 has 0000
    RawPacket subscribe = bytes(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00);
    assertEquals(List.of(), connectedThen("flags", false, subscribe));
    // PUBLISH with QoS 3 (both QoS bits set) is malformed (MQTT-3.3.1-4)
    assertEquals(List.of(), connectedThen("qos3", false, bytes(0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01)));
  }

  @Test
  void givenTopicAliases_whenAnAliasIsSetThenUsed_thenBothArriveOnTheTopicAndAnAliasAboveTheMaximumIsDisconnect0x94()
    throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("alias/topic", onBus::add));
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, true));
    try {
      join(client.send(RawPacket.v5().connect().clientId("aliaser").build()));
      MqttConnAckMessage connack = (MqttConnAckMessage) join(client.next(WAIT));
      assertEquals(16, connack.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM).value());
      join(client.send(publish("alias/topic", 1, "first")));
      join(client.send(publish("", 1, "second")));
      await().until(() -> onBus.size() == 2);
      assertEquals("first,second", onBus.get(0).payload() + "," + onBus.get(1).payload());
      join(client.send(publish("alias/topic", 17, "x")));
      assertEquals(0x94, disconnectReason(join(client.untilClosed(WAIT))));
    } finally {
      join(client.close());
    }
    assertBystanderUnaffected();
  }

  @Test
  void givenAnUnknownTopicAlias_thenDisconnectProtocolError() throws Exception {
    RawMqttClient client = connected("unknown-alias", true);
    try {
      join(client.send(publish("", 3, "x")));
      assertEquals(0x82, disconnectReason(join(client.untilClosed(WAIT))));
    } finally {
      join(client.close());
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
    RawMqttClient client = connected("ill-formed", true);
    try {
      join(client.send(RawPacket.v5().publish().topic("wire/good").payload("good").build(),
        RawPacket.v5().publish().topic(new byte[] {'w', (byte) 0xC0, (byte) 0xAF}).payload("bad").build()));
      assertEquals("DISCONNECT 0x81", PacketSummary.of(join(client.next(WAIT))).toString());
      join(client.awaitClose(WAIT));
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
      assertEquals("CONNACK 0x82", PacketSummary.of(join(client.next(WAIT))).toString());
      join(client.awaitClose(WAIT));
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
