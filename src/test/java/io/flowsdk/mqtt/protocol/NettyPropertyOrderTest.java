package io.flowsdk.mqtt.protocol;

import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.MAXIMUM_QOS;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REQUEST_PROBLEM_INFORMATION;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.TOPIC_ALIAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Valid MQTT 5 packets whose property blocks of 128 bytes or more end in a property no longer than the block's
 * length field, which Netty's decoder reads wrongly unless the framer reorders them ({@link NettyPropertyOrder}).
 */
class NettyPropertyOrderTest {

  private static final int MAX = 1 << 20;
  private static final String LONG = "v".repeat(150);

  /** Encoder, framer and decoder of a client's socket, the codec set to MQTT 5 by a CONNECT. */
  private static EmbeddedChannel clientCodec() {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE, PacketFramer.forClient(MAX), PacketFramer.decoder(MAX));
    ch.writeOutbound(MqttMessageBuilders.connect().clientId("c").protocolVersion(MqttVersion.MQTT_5).build());
    ((ByteBuf) ch.readOutbound()).release();
    return ch;
  }

  /** What the framer and decoder of a broker's socket make of the last of {@code packets}, a CONNECT first. */
  private static MqttMessage lastDecodedByBroker(RawPacket... packets) {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(MAX), PacketFramer.decoder(MAX));
    MqttMessage last = null;
    for (RawPacket p : packets) {
      ch.writeInbound(Unpooled.wrappedBuffer(p.bytes()));
      last = ch.readInbound();
    }
    assertNull(ch.readInbound(), "one packet decoded per packet sent");
    return last;
  }

  private static MqttMessage decodedByClient(byte[] packet) {
    EmbeddedChannel ch = clientCodec();
    ch.writeInbound(Unpooled.wrappedBuffer(packet));
    MqttMessage m = ch.readInbound();
    assertNull(ch.readInbound(), "nothing follows the packet");
    return m;
  }

  private static String payload(MqttPublishMessage publish) {
    try {
      return publish.payload().toString(StandardCharsets.UTF_8);
    } finally {
      publish.release();
    }
  }

  private static RawProperties longUserProperty() {
    return RawProperties.create().userProperty("k", LONG);
  }

  @Test
  void givenAPublishWhoseLongPropertiesEndInAPayloadFormatIndicator_whenTheClientReadsIt_thenItKeepsTheIndicatorAndThePayload() {
    // the order mosquitto_pub writes -D publish user-property ... -D publish payload-format-indicator 1 in
    byte[] publish = RawPacket.v5().publish().topic("t").properties(longUserProperty().payloadFormatIndicator(1))
      .payload("hello").build().bytes();

    MqttPublishMessage decoded = (MqttPublishMessage) decodedByClient(publish);

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    MqttProperties props = decoded.variableHeader().properties();
    assertEquals(1, props.getProperty(PAYLOAD_FORMAT_INDICATOR.value()).value());
    assertEquals(LONG, ((MqttProperties.UserProperties) props.getProperty(MqttProperties.USER_PROPERTY)).value().get(0).value);
    assertEquals("hello", payload(decoded));
  }

  @Test
  void givenAPublishNettysEncoderWroteWithALongContentTypeAndASubscriptionIdentifier_whenTheClientReadsIt_thenItKeepsBoth() {
    // Netty's encoder writes Subscription Identifiers after the other properties: our broker's own PUBLISH
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, LONG));
    props.add(new MqttProperties.IntegerProperty(SUBSCRIPTION_IDENTIFIER.value(), 7));
    EmbeddedChannel encoder = clientCodec();
    encoder.writeOutbound(MqttMessageBuilders.publish().topicName("t").qos(MqttQoS.AT_LEAST_ONCE).messageId(1)
      .properties(props).payload(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)).build());
    ByteBuf encoded = encoder.readOutbound();
    byte[] publish = new byte[encoded.readableBytes()];
    encoded.readBytes(publish).release();

    MqttPublishMessage decoded = (MqttPublishMessage) decodedByClient(publish);

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    List<Integer> ids = decoded.variableHeader().properties().getProperties(SUBSCRIPTION_IDENTIFIER.value()).stream()
      .map(p -> (Integer) p.value()).toList();
    assertEquals(List.of(7), ids);
    assertEquals("hello", payload(decoded));
  }

  @Test
  void givenAConnAckWhoseLongPropertiesEndInAMaximumQos_whenTheClientReadsIt_thenItIsDecodedWithIt() {
    byte[] connack = RawPacket.v5().connack().properties(longUserProperty().maximumQos(1)).build().bytes();

    MqttConnAckMessage decoded = (MqttConnAckMessage) decodedByClient(connack);

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    assertEquals(1, decoded.variableHeader().properties().getProperty(MAXIMUM_QOS.value()).value());
  }

  /**
   * Netty reads a property its packet may not carry as any other, so the framer orders it for Netty too: the
   * toolkit's decoder shows such a packet as a server sent it. A client's framer refuses it.
   */
  @Test
  void givenAConnAckWhoseLongPropertiesEndInSubscriptionIdentifiersItMayNotCarry_whenReadUnchecked_thenNoneIsLostAndAClientRefusesIt() {
    RawProperties properties = RawProperties.create().maximumPacketSize(1024);
    for (int id = 1; id <= 70; id++) {
      properties.subscriptionIdentifier(id);
    }
    byte[] connack = RawPacket.v5().connack().properties(properties).build().bytes();
    EmbeddedChannel unchecked = new EmbeddedChannel(new PacketFramer(MAX), PacketFramer.decoder(MAX));
    PacketFramer.useVersion(unchecked, MqttVersion.MQTT_5);

    unchecked.writeInbound(Unpooled.wrappedBuffer(connack));
    MqttConnAckMessage decoded = unchecked.readInbound();

    WireViolation refused = assertInstanceOf(WireViolation.class, decodedByClient(connack).decoderResult().cause());
    assertEquals(WireViolation.MALFORMED_PACKET, refused.reasonCode());
    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    assertEquals(70, decoded.variableHeader().properties().getProperties(SUBSCRIPTION_IDENTIFIER.value()).size());
    assertEquals(1024, decoded.variableHeader().properties().getProperty(MAXIMUM_PACKET_SIZE.value()).value());
  }

  @Test
  void givenAConnectWhoseLongPropertiesEndInARequestProblemInformation_whenTheBrokerReadsIt_thenItIsDecodedWithIt() {
    RawPacket connect = RawPacket.v5().connect().clientId("client-1")
      .properties(longUserProperty().requestProblemInformation(0)).build();

    MqttConnectMessage decoded = assertInstanceOf(MqttConnectMessage.class, lastDecodedByBroker(connect));

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    assertEquals("client-1", decoded.payload().clientIdentifier());
    assertEquals(0, decoded.variableHeader().properties().getProperty(REQUEST_PROBLEM_INFORMATION.value()).value());
  }

  @Test
  void givenASubscribeWhoseLongPropertiesEndInASubscriptionIdentifier_whenTheBrokerReadsIt_thenItIsDecodedWithIt() {
    RawPacket connect = RawPacket.v5().connect().clientId("c").build();
    RawPacket subscribe = RawPacket.v5().subscribe().packetId(1).properties(longUserProperty().subscriptionIdentifier(5))
      .filter("a/#", 1).build();

    MqttSubscribeMessage decoded = assertInstanceOf(MqttSubscribeMessage.class, lastDecodedByBroker(connect, subscribe));

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    assertEquals(5, decoded.idAndPropertiesVariableHeader().properties().getProperty(SUBSCRIPTION_IDENTIFIER.value()).value());
    assertEquals("a/#", decoded.payload().topicSubscriptions().get(0).topicFilter());
  }

  @Test
  void givenPropertiesOf16384BytesOrMoreEndingInATopicAlias_whenTheClientReadsThem_thenItKeepsTheAlias() {
    // a 3-byte length field: a last property of 3 bytes is lost too
    byte[] publish = RawPacket.v5().publish().topic("t")
      .properties(RawProperties.create().userProperty("k", "v".repeat(17_000)).topicAlias(3)).payload("hello").build().bytes();

    MqttPublishMessage decoded = (MqttPublishMessage) decodedByClient(publish);

    assertTrue(decoded.decoderResult().isSuccess(), () -> String.valueOf(decoded.decoderResult().cause()));
    assertEquals(3, decoded.variableHeader().properties().getProperty(TOPIC_ALIAS.value()).value());
    assertEquals("hello", payload(decoded));
  }

  @Test
  void givenLongPropertiesOfOnlyShortSubscriptionIdentifiers_whenTheClientReadsThem_thenTheyAreRefusedNotDecodedWrongly() {
    RawProperties ids = RawProperties.create();
    for (int id = 1; id <= 70; id++) {
      ids.subscriptionIdentifier(id);
    }
    byte[] publish = RawPacket.v5().publish().topic("t").properties(ids).payload("hello").build().bytes();

    MqttMessage decoded = decodedByClient(publish);

    DecoderException cause = assertInstanceOf(DecoderException.class, decoded.decoderResult().cause());
    assertTrue(cause.getMessage().contains("Netty's decoder cannot read in full"), cause.getMessage());
  }

  @Test
  void givenLongPropertiesWithASubscriptionIdentifierNotInFewestBytes_whenTheClientReadsThem_thenTheyAreAMalformedPacket() {
    RawProperties props = longUserProperty().add(0x0B, new byte[] {(byte) 0x81, 0x00}).maximumQos(1);
    byte[] publish = RawPacket.v5().publish().topic("t").properties(props).payload("hello").build().bytes();

    MqttMessage decoded = decodedByClient(publish);

    WireViolation cause = assertInstanceOf(WireViolation.class, decoded.decoderResult().cause());
    assertEquals(WireViolation.MALFORMED_PACKET, cause.reasonCode());
    assertTrue(cause.getMessage().contains("MQTT-1.5.5-1"), cause.getMessage());
  }
}
