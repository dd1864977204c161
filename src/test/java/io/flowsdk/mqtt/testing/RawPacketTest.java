package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Valid packets from {@link RawPacket} decode with Netty's codec to what was set; invalid ones have exactly the bytes asked for. */
class RawPacketTest {

  private static MqttMessage decode(boolean v5, RawPacket packet) {
    List<MqttMessage> decoded = PacketDecoder.decodeAll(v5, packet.bytes());
    assertEquals(1, decoded.size(), () -> "one packet from " + packet);
    MqttMessage msg = decoded.get(0);
    assertTrue(msg.decoderResult().isSuccess(), () -> packet + ": " + msg.decoderResult());
    return msg;
  }

  private static Object prop(MqttProperties props, int id) {
    return props.getProperty(id).value();
  }

  @Test
  void givenAV5ConnectWithEveryField_whenDecoded_thenNettySeesEveryField() {
    RawPacket p = RawPacket.v5().connect().clientId("c1").cleanStart(false).keepAlive(30)
      .properties(RawProperties.create().sessionExpiryInterval(300).receiveMaximum(10).maximumPacketSize(4096)
        .topicAliasMaximum(5).requestResponseInformation(1).requestProblemInformation(0)
        .userProperty("k", "v").authenticationMethod("m").authenticationData(new byte[] {1, 2}))
      .will("w/t", "bye", 1, true)
      .willProperties(RawProperties.create().willDelayInterval(9).payloadFormatIndicator(1).messageExpiryInterval(60)
        .contentType("text/plain").responseTopic("r/t").correlationData(new byte[] {7}))
      .username("u").password(new byte[] {'p'}).build();

    MqttConnectMessage c = (MqttConnectMessage) decode(true, p);

    assertEquals("MQTT", c.variableHeader().name());
    assertEquals(5, c.variableHeader().version());
    assertFalse(c.variableHeader().isCleanSession());
    assertEquals(30, c.variableHeader().keepAliveTimeSeconds());
    assertTrue(c.variableHeader().isWillFlag());
    assertTrue(c.variableHeader().isWillRetain());
    assertEquals(1, c.variableHeader().willQos());
    MqttProperties props = c.variableHeader().properties();
    assertEquals(300, prop(props, RawProperties.SESSION_EXPIRY_INTERVAL));
    assertEquals(10, prop(props, RawProperties.RECEIVE_MAXIMUM));
    assertEquals(4096, prop(props, RawProperties.MAXIMUM_PACKET_SIZE));
    assertEquals(5, prop(props, RawProperties.TOPIC_ALIAS_MAXIMUM));
    assertEquals(1, prop(props, RawProperties.REQUEST_RESPONSE_INFORMATION));
    assertEquals(0, prop(props, RawProperties.REQUEST_PROBLEM_INFORMATION));
    assertEquals("m", prop(props, RawProperties.AUTHENTICATION_METHOD));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) prop(props, RawProperties.AUTHENTICATION_DATA));
    assertEquals(List.of(new MqttProperties.StringPair("k", "v")), prop(props, RawProperties.USER_PROPERTY));
    assertEquals("c1", c.payload().clientIdentifier());
    assertEquals("w/t", c.payload().willTopic());
    assertArrayEquals("bye".getBytes(StandardCharsets.UTF_8), c.payload().willMessageInBytes());
    MqttProperties will = c.payload().willProperties();
    assertEquals(9, prop(will, RawProperties.WILL_DELAY_INTERVAL));
    assertEquals(1, prop(will, RawProperties.PAYLOAD_FORMAT_INDICATOR));
    assertEquals(60, prop(will, RawProperties.MESSAGE_EXPIRY_INTERVAL));
    assertEquals("text/plain", prop(will, RawProperties.CONTENT_TYPE));
    assertEquals("r/t", prop(will, RawProperties.RESPONSE_TOPIC));
    assertArrayEquals(new byte[] {7}, (byte[]) prop(will, RawProperties.CORRELATION_DATA));
    assertEquals("u", c.payload().userName());
    assertArrayEquals(new byte[] {'p'}, c.payload().passwordInBytes());
  }

  @Test
  void givenAV311Connect_whenDecoded_thenItIsLevel4WithoutProperties() {
    MqttConnectMessage c = (MqttConnectMessage) decode(false, RawPacket.v311().connect().clientId("old").keepAlive(5).build());

    assertEquals(4, c.variableHeader().version());
    assertTrue(c.variableHeader().isCleanSession());
    assertEquals(5, c.variableHeader().keepAliveTimeSeconds());
    assertEquals("old", c.payload().clientIdentifier());
    assertFalse(c.variableHeader().hasUserName());
  }

  @Test
  void givenAV5ConnAck_whenDecoded_thenFlagsCodeAndPropertiesMatch() {
    MqttConnAckMessage a = (MqttConnAckMessage) decode(true, RawPacket.v5().connack().sessionPresent(true).reasonCode(0x87)
      .properties(RawProperties.create().assignedClientIdentifier("gen").serverKeepAlive(20).maximumQos(1)
        .retainAvailable(0).wildcardSubscriptionAvailable(0).subscriptionIdentifierAvailable(0)
        .sharedSubscriptionAvailable(0).reasonString("no").responseInformation("ri").serverReference("other"))
      .build());

    assertTrue(a.variableHeader().isSessionPresent());
    assertEquals(0x87, a.variableHeader().connectReturnCode().byteValue() & 0xFF);
    MqttProperties props = a.variableHeader().properties();
    assertEquals("gen", prop(props, RawProperties.ASSIGNED_CLIENT_IDENTIFIER));
    assertEquals(20, prop(props, RawProperties.SERVER_KEEP_ALIVE));
    assertEquals(1, prop(props, RawProperties.MAXIMUM_QOS));
    assertEquals(0, prop(props, RawProperties.RETAIN_AVAILABLE));
    assertEquals(0, prop(props, RawProperties.WILDCARD_SUBSCRIPTION_AVAILABLE));
    assertEquals(0, prop(props, RawProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE));
    assertEquals(0, prop(props, RawProperties.SHARED_SUBSCRIPTION_AVAILABLE));
    assertEquals("no", prop(props, RawProperties.REASON_STRING));
    assertEquals("ri", prop(props, RawProperties.RESPONSE_INFORMATION));
    assertEquals("other", prop(props, RawProperties.SERVER_REFERENCE));
  }

  @Test
  void givenAV5Publish_whenDecoded_thenHeaderTopicIdPropertiesAndPayloadMatch() {
    MqttPublishMessage m = (MqttPublishMessage) decode(true, RawPacket.v5().publish().dup(true).qos(2).retain(true)
      .topic("a/b").packetId(42).properties(RawProperties.create().topicAlias(3).subscriptionIdentifier(200_000)
        .messageExpiryInterval(10)).payload("hello").build());

    assertTrue(m.fixedHeader().isDup());
    assertEquals(MqttQoS.EXACTLY_ONCE, m.fixedHeader().qosLevel());
    assertTrue(m.fixedHeader().isRetain());
    assertEquals("a/b", m.variableHeader().topicName());
    assertEquals(42, m.variableHeader().packetId());
    assertEquals(3, prop(m.variableHeader().properties(), RawProperties.TOPIC_ALIAS));
    assertEquals(200_000, prop(m.variableHeader().properties(), RawProperties.SUBSCRIPTION_IDENTIFIER));
    assertEquals("hello", m.payload().toString(StandardCharsets.UTF_8));
  }

  @Test
  void givenAV311QoS0Publish_whenDecoded_thenItHasNoPacketId() {
    MqttPublishMessage m = (MqttPublishMessage) decode(false, RawPacket.v311().publish().topic("x").payload("p").build());

    assertEquals(MqttQoS.AT_MOST_ONCE, m.fixedHeader().qosLevel());
    assertEquals("x", m.variableHeader().topicName());
    assertEquals("p", m.payload().toString(StandardCharsets.UTF_8));
  }

  @Test
  void givenV5PublishAcknowledgements_whenDecoded_thenTypeIdReasonAndReasonStringMatch() {
    PacketFactory v5 = RawPacket.v5();
    List<AckBuilder> acks = List.of(v5.puback(), v5.pubrec(), v5.pubrel(), v5.pubcomp());
    List<MqttMessageType> types = List.of(MqttMessageType.PUBACK, MqttMessageType.PUBREC, MqttMessageType.PUBREL, MqttMessageType.PUBCOMP);
    for (int i = 0; i < acks.size(); i++) {
      MqttMessage m = decode(true, acks.get(i).packetId(9).reasonCode(0x10)
        .properties(RawProperties.create().reasonString("why")).build());

      assertEquals(types.get(i), m.fixedHeader().messageType());
      MqttPubReplyMessageVariableHeader h = (MqttPubReplyMessageVariableHeader) m.variableHeader();
      assertEquals(9, h.messageId());
      assertEquals(0x10, h.reasonCode());
      assertEquals("why", prop(h.properties(), RawProperties.REASON_STRING));
    }
  }

  @Test
  void givenAV5Subscribe_whenDecoded_thenFiltersOptionsAndSubscriptionIdMatch() {
    MqttSubscribeMessage s = (MqttSubscribeMessage) decode(true, RawPacket.v5().subscribe().packetId(5)
      .properties(RawProperties.create().subscriptionIdentifier(77).userProperty("a", "b"))
      .filter("a/+", 1 | 1 << 2 | 1 << 3 | 2 << 4).filter("b/#", 2).build());

    assertEquals(5, s.idAndPropertiesVariableHeader().messageId());
    assertEquals(77, prop(s.idAndPropertiesVariableHeader().properties(), RawProperties.SUBSCRIPTION_IDENTIFIER));
    List<MqttTopicSubscription> subs = s.payload().topicSubscriptions();
    assertEquals("a/+", subs.get(0).topicFilter());
    assertEquals(MqttQoS.AT_LEAST_ONCE, subs.get(0).option().qos());
    assertTrue(subs.get(0).option().isNoLocal());
    assertTrue(subs.get(0).option().isRetainAsPublished());
    assertEquals(2, subs.get(0).option().retainHandling().value());
    assertEquals("b/#", subs.get(1).topicFilter());
    assertEquals(MqttQoS.EXACTLY_ONCE, subs.get(1).option().qos());
  }

  @Test
  void givenSubAckUnsubscribeAndUnsubAck_whenDecoded_thenIdsFiltersAndCodesMatch() {
    MqttSubAckMessage sa = (MqttSubAckMessage) decode(true, RawPacket.v5().suback().packetId(3).reasonCodes(0, 1, 0x80).build());
    assertEquals(3, sa.idAndPropertiesVariableHeader().messageId());
    assertEquals(List.of(0, 1, 0x80), sa.payload().reasonCodes());

    MqttUnsubscribeMessage u = (MqttUnsubscribeMessage) decode(true, RawPacket.v5().unsubscribe().packetId(4).filter("x/y").filter("z").build());
    assertEquals(4, u.idAndPropertiesVariableHeader().messageId());
    assertEquals(List.of("x/y", "z"), u.payload().topics());

    MqttUnsubAckMessage ua = (MqttUnsubAckMessage) decode(true, RawPacket.v5().unsuback().packetId(4).reasonCodes(0, 0x11).build());
    assertEquals(4, ((MqttMessageIdAndPropertiesVariableHeader) ua.variableHeader()).messageId());
    assertEquals(List.of((short) 0, (short) 0x11), ua.payload().unsubscribeReasonCodes());

    MqttMessage ua311 = decode(false, RawPacket.v311().unsuback().packetId(6).build());
    assertEquals(MqttMessageType.UNSUBACK, ua311.fixedHeader().messageType());
    assertArrayEquals(new byte[] {(byte) 0xB0, 2, 0, 6}, RawPacket.v311().unsuback().packetId(6).build().bytes());
  }

  @Test
  void givenPingsDisconnectAndAuth_whenDecoded_thenTypesReasonCodesAndPropertiesMatch() {
    assertEquals(MqttMessageType.PINGREQ, decode(true, RawPacket.v5().pingreq().build()).fixedHeader().messageType());
    assertEquals(MqttMessageType.PINGRESP, decode(false, RawPacket.v311().pingresp().build()).fixedHeader().messageType());

    MqttMessage d = decode(true, RawPacket.v5().disconnect().reasonCode(0x8E)
      .properties(RawProperties.create().sessionExpiryInterval(0).reasonString("bye")).build());
    MqttReasonCodeAndPropertiesVariableHeader dh = (MqttReasonCodeAndPropertiesVariableHeader) d.variableHeader();
    assertEquals((byte) 0x8E, dh.reasonCode());
    assertEquals("bye", prop(dh.properties(), RawProperties.REASON_STRING));

    MqttMessage a = decode(true, RawPacket.v5().auth().reasonCode(0x18)
      .properties(RawProperties.create().authenticationMethod("SCRAM").authenticationData(new byte[] {9})).build());
    MqttReasonCodeAndPropertiesVariableHeader ah = (MqttReasonCodeAndPropertiesVariableHeader) a.variableHeader();
    assertEquals(MqttMessageType.AUTH, a.fixedHeader().messageType());
    assertEquals((byte) 0x18, ah.reasonCode());
    assertEquals("SCRAM", prop(ah.properties(), RawProperties.AUTHENTICATION_METHOD));
  }

  @Test
  void givenBrokenHeaderFields_whenBuilt_thenTheBytesAreExactlyTheOnesAskedFor() {
    assertArrayEquals(new byte[] {(byte) 0xC3, 0}, RawPacket.v5().pingreq().flags(3).build().bytes());
    assertArrayEquals(new byte[] {0x00, 0}, RawPacket.v5().pingreq().typeNibble(0).build().bytes());
    assertArrayEquals(new byte[] {(byte) 0xC0, 5}, RawPacket.v5().pingreq().remainingLength(5).build().bytes());
    assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
      RawPacket.v5().pingreq().remainingLengthBytes((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F).build().bytes());
    assertArrayEquals(new byte[] {(byte) 0xE0, 1, 0}, RawPacket.v311().disconnect().trailing((byte) 0).build().bytes());
    assertArrayEquals(new byte[] {0x30, 3}, RawPacket.v311().publish().topic("t").truncate(2).build().bytes());
  }

  @Test
  void givenBrokenProperties_whenBuilt_thenDuplicatesUnknownIdsAndWrongLengthsAreWrittenAsGiven() {
    RawPacket p = RawPacket.v5().disconnect().reasonCode(0)
      .properties(RawProperties.create().sessionExpiryInterval(1).sessionExpiryInterval(2).add(0x7F, new byte[] {1}).length(99))
      .build();

    assertArrayEquals(new byte[] {(byte) 0xE0, 14, 0, 99, 0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2, 0x7F, 1}, p.bytes());
  }

  @Test
  void givenInvalidUtf8AndReservedBits_whenBuilt_thenTheyReachTheWire() {
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    RawPacket c = RawPacket.v311().connect().clientId(surrogate).reservedFlag(true).keepAlive(0).build();

    assertArrayEquals(new byte[] {0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x03, 0, 0, 0, 3,
      (byte) 0xED, (byte) 0xA0, (byte) 0x80}, c.bytes());
    assertArrayEquals(new byte[] {0x30 | 0b0110, 3, 0, 1, 't'}, RawPacket.v311().publish().qos(3).withoutPacketId().build().bytes());
  }
}
