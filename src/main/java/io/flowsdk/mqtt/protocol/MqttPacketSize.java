package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The encoded size of MQTT packets without encoding them, so a sender can respect a peer's Maximum
 * Packet Size before it writes (MQTT 5, 3.1.2.11.4: a packet above it must not be sent).
 */
public final class MqttPacketSize {

  private MqttPacketSize() {
  }

  /** Bytes of a PUBLISH on the wire: fixed header, topic, packet id, properties (MQTT 5 only), payload. */
  public static long publish(String topic, int payloadBytes, int qos, MqttProperties properties, boolean mqtt5) {
    long remaining = 2L + ByteBufUtil.utf8Bytes(topic) + (qos > 0 ? 2 : 0) + payloadBytes;
    if (mqtt5) {
      int props = properties(properties);
      remaining += varIntBytes(props) + props;
    }
    return 1 + varIntBytes(remaining) + remaining;
  }

  /** Bytes of a property block's content (without its own length). */
  public static int properties(MqttProperties properties) {
    int n = 0;
    for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
      if (p instanceof MqttProperties.UserProperties) {
        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
          n += 1 + 2 + ByteBufUtil.utf8Bytes(pair.key) + 2 + ByteBufUtil.utf8Bytes(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty) {
        MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
        n += 1 + 2 + ByteBufUtil.utf8Bytes(pair.key) + 2 + ByteBufUtil.utf8Bytes(pair.value);
      } else if (p instanceof MqttProperties.StringProperty) {
        n += 1 + 2 + ByteBufUtil.utf8Bytes(((MqttProperties.StringProperty) p).value());
      } else if (p instanceof MqttProperties.BinaryProperty) {
        n += 1 + 2 + ((MqttProperties.BinaryProperty) p).value().length;
      } else if (p instanceof MqttProperties.IntegerProperty) {
        n += 1 + integerBytes(p.propertyId(), ((MqttProperties.IntegerProperty) p).value());
      }
    }
    return n;
  }

  private static int integerBytes(int id, int value) {
    switch (id) {
      case MqttProperties.SUBSCRIPTION_IDENTIFIER:
        return varIntBytes(value);
      case MqttProperties.PUBLICATION_EXPIRY_INTERVAL:
      case MqttProperties.SESSION_EXPIRY_INTERVAL:
      case MqttProperties.WILL_DELAY_INTERVAL:
      case MqttProperties.MAXIMUM_PACKET_SIZE:
        return 4;
      case MqttProperties.SERVER_KEEP_ALIVE:
      case MqttProperties.RECEIVE_MAXIMUM:
      case MqttProperties.TOPIC_ALIAS_MAXIMUM:
      case MqttProperties.TOPIC_ALIAS:
        return 2;
      default:
        return 1;
    }
  }

  /** Bytes of a Variable Byte Integer holding {@code value}. */
  public static int varIntBytes(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }
}
