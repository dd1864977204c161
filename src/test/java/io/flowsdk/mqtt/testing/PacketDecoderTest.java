package io.flowsdk.mqtt.testing;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toolkit decodes what a server sends as our client does: Netty 4.2.9's decoder alone never reads the last
 * property of a block of 128 bytes or more when that property takes two bytes (docs/protocol-testing.md).
 */
class PacketDecoderTest {

  private static final String LONG_VALUE = "v".repeat(150);

  private static MqttMessage only(List<MqttMessage> decoded) {
    assertEquals(1, decoded.size(), () -> "one packet from " + decoded);
    MqttMessage msg = decoded.get(0);
    assertTrue(msg.decoderResult().isSuccess(), () -> String.valueOf(msg.decoderResult()));
    return msg;
  }

  private static Object prop(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> property = props.getProperty(id);
    return property == null ? null : property.value();
  }

  @Test
  void givenAV5PublishWhosePropertiesOf128BytesEndInAOneByteProperty_whenDecoded_thenThePropertyAndThePayloadAreIntact() {
    RawPacket publish = RawPacket.v5().publish().topic("a/b").qos(1).packetId(3)
      .properties(RawProperties.create().userProperty("k", LONG_VALUE).payloadFormatIndicator(1))
      .payload("hello").build();

    MqttPublishMessage decoded = (MqttPublishMessage) only(PacketDecoder.decodeAll(true, publish.bytes()));

    MqttProperties props = decoded.variableHeader().properties();
    assertEquals(1, prop(props, RawProperties.PAYLOAD_FORMAT_INDICATOR));
    assertEquals(LONG_VALUE, ((MqttProperties.UserProperties) props.getProperty(RawProperties.USER_PROPERTY))
      .value().get(0).value);
    assertEquals("hello", new String(ByteBufUtil.getBytes(decoded.payload()), StandardCharsets.UTF_8));
  }

  @Test
  void givenAV5ConnAckWhosePropertiesOf128BytesEndInAOneByteProperty_whenItArrivesInTwoChunks_thenTheConnAckHasIt() {
    byte[] connack = RawPacket.v5().connack()
      .properties(RawProperties.create().reasonString(LONG_VALUE).maximumQos(1)).build().bytes();
    PacketDecoder decoder = new PacketDecoder(true, 268_435_460);
    try {
      List<MqttMessage> firstHalf = decoder.decode(Buffer.buffer(Arrays.copyOfRange(connack, 0, connack.length / 2)));
      List<MqttMessage> secondHalf = decoder.decode(
        Buffer.buffer(Arrays.copyOfRange(connack, connack.length / 2, connack.length)));

      assertEquals(List.of(), firstHalf);
      MqttProperties props = ((MqttConnAckMessage) only(secondHalf)).variableHeader().properties();
      assertEquals(1, prop(props, RawProperties.MAXIMUM_QOS));
      assertEquals(LONG_VALUE, prop(props, RawProperties.REASON_STRING));
    } finally {
      decoder.close();
    }
  }
}
