package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our size computation against what Netty's encoder really writes. */
class MqttPacketSizeTest {

  private static long encoded(String topic, int payload, int qos, MqttProperties props, MqttVersion version) {
    EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    PacketFramer.useVersion(channel, version);
    channel.writeOutbound(MqttMessageFactory.newMessage(
      new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
      new MqttPublishVariableHeader(topic, qos == 0 ? -1 : 1, props), Unpooled.wrappedBuffer(new byte[payload])));
    long n = 0;
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      n += b.readableBytes();
      b.release();
    }
    return n;
  }

  @Test
  void givenPublishesWithEveryPropertyKind_thenTheComputedSizeIsWhatNettyWrites() {
    MqttProperties props = new MqttProperties();
    MqttProps.putInt(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1);
    MqttProps.putInt(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 60);
    MqttProps.putInt(props, MqttProperties.SUBSCRIPTION_IDENTIFIER, 300);
    MqttProps.putInt(props, MqttProperties.SUBSCRIPTION_IDENTIFIER, 3);
    MqttProps.putString(props, MqttProperties.CONTENT_TYPE, "text/plaîn");
    MqttProps.putBinary(props, MqttProperties.CORRELATION_DATA, io.vertx.core.buffer.Buffer.buffer("corr"));
    props.add(new MqttProperties.UserProperty("k", "v"));
    props.add(new MqttProperties.UserProperty("k", "w2"));
    for (int payload : new int[] {0, 100, 200_000}) {
      for (int qos = 0; qos < 3; qos++) {
        assertEquals(encoded("a/b/ü", payload, qos, props, MqttVersion.MQTT_5),
          MqttPacketSize.publish("a/b/ü", payload, qos, props, true), "MQTT 5, payload " + payload + ", qos " + qos);
        assertEquals(encoded("a/b/ü", payload, qos, MqttProperties.NO_PROPERTIES, MqttVersion.MQTT_3_1_1),
          MqttPacketSize.publish("a/b/ü", payload, qos, props, false), "MQTT 3.1.1, payload " + payload);
      }
    }
  }

  @Test
  void givenTopicsOfEveryUtf8Length_thenTheComputedSizeIsWhatNettyWrites() {
    for (String topic : new String[] {"", "a/b", "caf\u00e9", "\u20ac/x", "\ud83d\ude00/y", "bad\ud83d", "\ude00bad", "\ud83d\ud83d"}) {
      assertEquals(encoded(topic, 10, 1, MqttProperties.NO_PROPERTIES, MqttVersion.MQTT_5),
        MqttPacketSize.publish(topic, 10, 1, MqttProperties.NO_PROPERTIES, true), "topic " + topic);
      assertEquals(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, io.netty.buffer.ByteBufUtil.utf8Bytes(topic), "topic " + topic);
    }
  }
}
