package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.function.Supplier;

/**
 * Decoded MQTT packets (Netty's codec) into the payload of an {@code mqtt.MqttStreamMessage} and back,
 * for the protocol version of the session: {@code mqtt_v5_packet} for 5.0, {@code mqtt_v3_packet} for
 * 3.1 and 3.1.1. Lossless: mapping a packet there and back encodes to the same bytes.
 */
public final class PacketMapping {

  private PacketMapping() {
  }

  /**
   * Sets the packet as the payload of {@code message}.
   *
   * @throws FlowException PROTOCOL_ERROR for a packet the version does not have (AUTH in 3.1.1)
   */
  public static MqttStreamMessage.Builder toProto(MqttMessage packet, MqttVersion version, MqttStreamMessage.Builder message) {
    return version == MqttVersion.MQTT_5
      ? message.setMqttV5Packet(V5Mapping.toProto(packet))
      : message.setMqttV3Packet(V3Mapping.toProto(packet));
  }

  /**
   * The packet a stream message carries.
   *
   * @throws FlowException PROTOCOL_ERROR when it carries no packet, a packet of the other protocol
   *                       version than the session's, or a field value MQTT cannot encode
   */
  public static MqttMessage fromProto(MqttStreamMessage message, MqttVersion version) {
    switch (message.getPayloadCase()) {
      case MQTT_V5_PACKET:
        requireVersion(version == MqttVersion.MQTT_5, "an MQTT 5.0 packet", version);
        return guarded(() -> V5Mapping.fromProto(message.getMqttV5Packet()));
      case MQTT_V3_PACKET:
        requireVersion(version != MqttVersion.MQTT_5, "an MQTT 3.1.1 packet", version);
        return guarded(() -> V3Mapping.fromProto(message.getMqttV3Packet()));
      default:
        throw new FlowException(FlowError.PROTOCOL_ERROR, "the stream message carries no MQTT packet");
    }
  }

  private static void requireVersion(boolean ok, String what, MqttVersion version) {
    if (!ok) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the stream message carries " + what
        + " but the session speaks " + version.protocolName() + " level " + version.protocolLevel());
    }
  }

  /** Netty refuses some values (an unknown CONNACK code, retain handling 3) with an IllegalArgumentException. */
  private static MqttMessage guarded(Supplier<MqttMessage> mapping) {
    try {
      return mapping.get();
    } catch (IllegalArgumentException e) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the stream message carries a packet MQTT cannot encode: "
        + e.getMessage(), e);
    }
  }
}
