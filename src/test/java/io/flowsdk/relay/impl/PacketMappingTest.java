package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.v5.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.*;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static io.netty.handler.codec.mqtt.MqttMessageType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Given every packet type of MQTT 3.1.1 and 5.0 (in 5.0 each carrying every property the standard
 * defines), when its bytes are decoded, mapped into a stream message, serialized, parsed, mapped back
 * and encoded, then the bytes are the same: the relay loses nothing in either direction.
 */
class PacketMappingTest {

  private static final byte[] PAYLOAD = "payload \u00e9\u0000\u00ff".getBytes(StandardCharsets.UTF_8);

  @Test
  void givenEveryMqtt311PacketWhenMappedThereAndBackThenItsBytesAreUnchanged() {
    List<MqttMessage> packets = List.of(
      connect(MqttVersion.MQTT_3_1_1, "user", "secret".getBytes(StandardCharsets.UTF_8), true, MqttProperties.NO_PROPERTIES),
      connect(MqttVersion.MQTT_3_1_1, "", new byte[0], false, MqttProperties.NO_PROPERTIES),
      connect(MqttVersion.MQTT_3_1_1, null, null, false, MqttProperties.NO_PROPERTIES),
      connect(MqttVersion.MQTT_3_1, "user", null, true, MqttProperties.NO_PROPERTIES),
      new MqttConnAckMessage(NettyPackets.fixed(CONNACK),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, false)),
      new MqttConnAckMessage(NettyPackets.fixed(CONNACK),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, true)),
      publish(MqttQoS.AT_MOST_ONCE, false, false, "a/b", -1, MqttProperties.NO_PROPERTIES),
      publish(MqttQoS.AT_LEAST_ONCE, true, false, "a/b", 7, MqttProperties.NO_PROPERTIES),
      publish(MqttQoS.EXACTLY_ONCE, true, true, "a/\u00e9", 65535, MqttProperties.NO_PROPERTIES),
      new MqttMessage(NettyPackets.fixed(PUBACK), MqttMessageIdVariableHeader.from(1)),
      new MqttMessage(NettyPackets.fixed(PUBREC), MqttMessageIdVariableHeader.from(2)),
      new MqttMessage(NettyPackets.fixed(PUBREL), MqttMessageIdVariableHeader.from(3)),
      new MqttMessage(NettyPackets.fixed(PUBCOMP), MqttMessageIdVariableHeader.from(4)),
      new MqttSubscribeMessage(NettyPackets.fixed(SUBSCRIBE), MqttMessageIdVariableHeader.from(5),
        new MqttSubscribePayload(List.of(new MqttTopicSubscription("a/+", MqttQoS.AT_MOST_ONCE),
          new MqttTopicSubscription("b/#", MqttQoS.EXACTLY_ONCE)))),
      new MqttSubAckMessage(NettyPackets.fixed(SUBACK), MqttMessageIdVariableHeader.from(5),
        new MqttSubAckPayload(0, 2, 0x80)),
      new MqttUnsubscribeMessage(NettyPackets.fixed(UNSUBSCRIBE), MqttMessageIdVariableHeader.from(6),
        new MqttUnsubscribePayload(List.of("a/+", "b/#"))),
      new MqttUnsubAckMessage(NettyPackets.fixed(UNSUBACK), MqttMessageIdVariableHeader.from(6)),
      new MqttMessage(NettyPackets.fixed(PINGREQ)),
      new MqttMessage(NettyPackets.fixed(PINGRESP)),
      new MqttMessage(NettyPackets.fixed(DISCONNECT)));
    assertRoundTrips(MqttVersion.MQTT_3_1_1, packets, EnumSet.complementOf(EnumSet.of(AUTH)));
  }

  @Test
  void givenEveryMqtt5PacketWithEveryPropertyWhenMappedThereAndBackThenItsBytesAreUnchanged() {
    List<MqttMessage> packets = List.of(
      connect(MqttVersion.MQTT_5, "user", "secret".getBytes(StandardCharsets.UTF_8), true, everyProperty()),
      connect(MqttVersion.MQTT_5, "", new byte[0], false, everyProperty()),
      new MqttConnAckMessage(NettyPackets.fixed(CONNACK), new MqttConnAckVariableHeader(
        MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY, false, everyProperty())),
      new MqttConnAckMessage(NettyPackets.fixed(CONNACK), new MqttConnAckVariableHeader(
        MqttConnectReturnCode.CONNECTION_ACCEPTED, true, everyProperty())),
      publish(MqttQoS.AT_MOST_ONCE, false, false, "a/b", -1, everyProperty()),
      publish(MqttQoS.AT_LEAST_ONCE, true, false, "", 7, everyProperty()),
      publish(MqttQoS.EXACTLY_ONCE, true, true, "a/\u00e9", 65535, everyProperty()),
      pubReply(PUBACK, 1, 0x10),
      pubReply(PUBREC, 2, 0x80),
      pubReply(PUBREL, 3, 0x92),
      pubReply(PUBCOMP, 4, 0),
      new MqttSubscribeMessage(NettyPackets.fixed(SUBSCRIBE),
        new MqttMessageIdAndPropertiesVariableHeader(5, everyProperty()),
        new MqttSubscribePayload(List.of(
          new MqttTopicSubscription("a/+", new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, false,
            MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS)),
          new MqttTopicSubscription("$share/g/b/#", new MqttSubscriptionOption(MqttQoS.EXACTLY_ONCE, false, true,
            MqttSubscriptionOption.RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE))))),
      new MqttSubAckMessage(NettyPackets.fixed(SUBACK), new MqttMessageIdAndPropertiesVariableHeader(5, everyProperty()),
        new MqttSubAckPayload(1, 2, 0x80, 0x97)),
      new MqttUnsubscribeMessage(NettyPackets.fixed(UNSUBSCRIBE),
        new MqttMessageIdAndPropertiesVariableHeader(6, everyProperty()), new MqttUnsubscribePayload(List.of("a/+", "b/#"))),
      new MqttUnsubAckMessage(NettyPackets.fixed(UNSUBACK), new MqttMessageIdAndPropertiesVariableHeader(6, everyProperty()),
        new MqttUnsubAckPayload((short) 0, (short) 0x11)),
      new MqttMessage(NettyPackets.fixed(PINGREQ)),
      new MqttMessage(NettyPackets.fixed(PINGRESP)),
      new MqttMessage(NettyPackets.fixed(DISCONNECT), new MqttReasonCodeAndPropertiesVariableHeader((byte) 0x8E, everyProperty())),
      new MqttMessage(NettyPackets.fixed(DISCONNECT), new MqttReasonCodeAndPropertiesVariableHeader((byte) 0, MqttProperties.NO_PROPERTIES)),
      new MqttMessage(NettyPackets.fixed(AUTH), new MqttReasonCodeAndPropertiesVariableHeader((byte) 0x18, everyProperty())));
    assertRoundTrips(MqttVersion.MQTT_5, packets, EnumSet.allOf(MqttMessageType.class));
  }

  /** Netty's {@code MqttProperties.isEmpty()} is true for these: the mapping lost them before. */
  @Test
  void givenMqtt5PacketsWhoseOnlyPropertiesAreUserPropertiesOrSubscriptionIdentifiersWhenMappedThereAndBackThenTheyAreKept() {
    MqttProperties user = new MqttProperties();
    user.add(new MqttProperties.UserProperty("k", "v"));
    MqttProperties ids = new MqttProperties();
    ids.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 0));
    ids.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 7));
    List<MqttMessage> packets = List.of(
      publish(MqttQoS.AT_MOST_ONCE, false, false, "a/b", -1, user),
      publish(MqttQoS.AT_LEAST_ONCE, false, false, "a/b", 1, ids),
      new MqttSubscribeMessage(NettyPackets.fixed(SUBSCRIBE), new MqttMessageIdAndPropertiesVariableHeader(5, ids),
        new MqttSubscribePayload(List.of(new MqttTopicSubscription("a", MqttQoS.AT_MOST_ONCE)))));
    assertRoundTrips(MqttVersion.MQTT_5, packets, EnumSet.of(PUBLISH, SUBSCRIBE));
    MqttStreamMessage mapped = PacketMapping.toProto(publish(MqttQoS.AT_LEAST_ONCE, false, false, "a/b", 1, ids),
      MqttVersion.MQTT_5, MqttStreamMessage.newBuilder()).build();
    assertEquals(List.of(0, 7), mapped.getMqttV5Packet().getPublish().getPropertiesList().stream()
      .map(Property::getSubscriptionIdentifier).toList());
  }

  @Test
  void givenAnMqtt5PublishWithEveryPropertyWhenMappedThenEveryPropertyHasItsOwnProtoField() {
    MqttStreamMessage message = PacketMapping.toProto(
      publish(MqttQoS.AT_LEAST_ONCE, false, false, "t", 1, everyProperty()), MqttVersion.MQTT_5,
      MqttStreamMessage.newBuilder()).build();
    Set<Property.PropertyTypeCase> cases = EnumSet.noneOf(Property.PropertyTypeCase.class);
    message.getMqttV5Packet().getPublish().getPropertiesList().forEach(p -> cases.add(p.getPropertyTypeCase()));
    assertEquals(EnumSet.complementOf(EnumSet.of(Property.PropertyTypeCase.PROPERTYTYPE_NOT_SET)), cases);
  }

  @Test
  void givenA311SessionWhenAnMqtt5PacketArrivesThenItIsAProtocolError() {
    MqttStreamMessage v5 = PacketMapping.toProto(new MqttMessage(NettyPackets.fixed(PINGREQ)), MqttVersion.MQTT_5,
      MqttStreamMessage.newBuilder()).build();
    FlowException e = assertThrows(FlowException.class, () -> PacketMapping.fromProto(v5, MqttVersion.MQTT_3_1_1));
    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
    assertEquals("the stream message carries an MQTT 5.0 packet but the session speaks MQTT level 4", e.getMessage());
  }

  @Test
  void givenAStreamMessageWithoutAPacketWhenMappedThenItIsAProtocolError() {
    FlowException e = assertThrows(FlowException.class,
      () -> PacketMapping.fromProto(MqttStreamMessage.getDefaultInstance(), MqttVersion.MQTT_5));
    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
  }

  @Test
  void givenAnAuthPacketWhenMappedForMqtt311ThenItIsAProtocolError() {
    MqttMessage auth = new MqttMessage(NettyPackets.fixed(AUTH),
      new MqttReasonCodeAndPropertiesVariableHeader((byte) 0x18, MqttProperties.NO_PROPERTIES));
    FlowException e = assertThrows(FlowException.class,
      () -> PacketMapping.toProto(auth, MqttVersion.MQTT_3_1_1, MqttStreamMessage.newBuilder()));
    assertEquals("MQTT 3.1.1 has no AUTH packet", e.getMessage());
  }

  private static void assertRoundTrips(MqttVersion version, List<MqttMessage> packets, Set<MqttMessageType> expectedTypes) {
    Set<MqttMessageType> seen = EnumSet.noneOf(MqttMessageType.class);
    for (MqttMessage packet : packets) {
      seen.add(packet.fixedHeader().messageType());
      byte[] original = encode(version, packet);
      MqttMessage decoded = decode(version, original);
      try {
        MqttStreamMessage sent = PacketMapping.toProto(decoded, version, MqttStreamMessage.newBuilder()).build();
        MqttStreamMessage received = parse(sent.toByteArray());
        byte[] again = encode(version, PacketMapping.fromProto(received, version));
        assertArrayEquals(original, again, () -> "the bytes of " + packet.fixedHeader().messageType()
          + " changed through " + sent);
      } finally {
        ReferenceCountUtil.release(decoded);
      }
    }
    assertTrue(seen.containsAll(expectedTypes) && expectedTypes.containsAll(seen),
      () -> "tested " + seen + ", expected " + expectedTypes);
  }

  private static MqttStreamMessage parse(byte[] bytes) {
    try {
      return MqttStreamMessage.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** A codec channel that speaks {@code version}: Netty keeps the version a CONNECT set on the channel. */
  private static EmbeddedChannel channel(MqttVersion version) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE, new MqttDecoder(1 << 20));
    ch.writeOutbound(connect(version, null, null, false, MqttProperties.NO_PROPERTIES));
    ReferenceCountUtil.release(ch.readOutbound());
    return ch;
  }

  private static byte[] encode(MqttVersion version, MqttMessage packet) {
    EmbeddedChannel ch = channel(version);
    ch.writeOutbound(packet);
    ByteBuf out = Unpooled.buffer();
    ByteBuf chunk;
    while ((chunk = ch.readOutbound()) != null) {
      out.writeBytes(chunk);
      chunk.release();
    }
    ch.finishAndReleaseAll();
    byte[] bytes = ByteBufUtil.getBytes(out);
    out.release();
    return bytes;
  }

  private static MqttMessage decode(MqttVersion version, byte[] bytes) {
    EmbeddedChannel ch = channel(version);
    if (bytes[0] >> 4 != CONNECT.value()) {
      ch.writeInbound(Unpooled.wrappedBuffer(encode(version, connect(version, null, null, false, MqttProperties.NO_PROPERTIES))));
      ReferenceCountUtil.release(ch.readInbound());
    }
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    MqttMessage decoded = ch.readInbound();
    assertTrue(decoded.decoderResult().isSuccess(), () -> "undecodable: " + decoded.decoderResult());
    ch.finishAndReleaseAll();
    return decoded;
  }

  private static MqttConnectMessage connect(MqttVersion version, String user, byte[] password, boolean will,
                                            MqttProperties props) {
    MqttConnectVariableHeader header = new MqttConnectVariableHeader(version.protocolName(), version.protocolLevel(),
      user != null, password != null, will, will ? 2 : 0, will, !will, 30, props);
    MqttConnectPayload payload = new MqttConnectPayload("client-\u00e9", will ? props : MqttProperties.NO_PROPERTIES,
      will ? "will/topic" : null, will ? PAYLOAD : null, user, password);
    return new MqttConnectMessage(NettyPackets.fixed(CONNECT), header, payload);
  }

  private static MqttPublishMessage publish(MqttQoS qos, boolean retain, boolean dup, String topic, int id,
                                            MqttProperties props) {
    return new MqttPublishMessage(new MqttFixedHeader(PUBLISH, dup, qos, retain, 0),
      new MqttPublishVariableHeader(topic, id, props), Unpooled.wrappedBuffer(PAYLOAD));
  }

  private static MqttMessage pubReply(MqttMessageType type, int id, int code) {
    return new MqttMessage(NettyPackets.fixed(type), new MqttPubReplyMessageVariableHeader(id, (byte) code, everyProperty()));
  }

  /** All 27 properties of MQTT 5.0, two user properties and two subscription identifiers, unsigned maxima included. */
  private static MqttProperties everyProperty() {
    MqttProperties p = new MqttProperties();
    List<MqttProperties.MqttProperty<?>> all = new ArrayList<>();
    Supplier<byte[]> bytes = () -> new byte[] {0, 1, (byte) 0xFF};
    all.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, -1));
    all.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
    all.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, "reply/to"));
    all.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, bytes.get()));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 268435455));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 1));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 0xFFFFFFFF));
    all.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, "assigned"));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, 65535));
    all.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
    all.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, bytes.get()));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.REQUEST_PROBLEM_INFORMATION, 0));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.WILL_DELAY_INTERVAL, 10));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.REQUEST_RESPONSE_INFORMATION, 1));
    all.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_INFORMATION, "resp/"));
    all.add(new MqttProperties.StringProperty(MqttProperties.SERVER_REFERENCE, "other:1883"));
    all.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, "because \u00e9"));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 20));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 10));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, 3));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
    all.add(new MqttProperties.UserProperty("k", "v1"));
    all.add(new MqttProperties.UserProperty("k", "v2"));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, 1 << 20));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
    all.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
    all.forEach(p::add);
    return p;
  }
}
