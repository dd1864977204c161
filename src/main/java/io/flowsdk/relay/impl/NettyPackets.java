package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import com.google.protobuf.ByteString;
import io.flowsdk.FlowException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/** The parts of Netty's MQTT messages that both protocol versions' mappings read and build the same way. */
final class NettyPackets {

  private NettyPackets() {
  }

  /** The fixed header of every packet type but PUBLISH; PUBREL, SUBSCRIBE and UNSUBSCRIBE have flags 0010. */
  static MqttFixedHeader fixed(MqttMessageType type) {
    boolean qos1 = type == MqttMessageType.PUBREL || type == MqttMessageType.SUBSCRIBE
      || type == MqttMessageType.UNSUBSCRIBE;
    return new MqttFixedHeader(type, false, qos1 ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0);
  }

  /** A PUBLISH from the fields both versions' protos hold ({@code properties} empty in 3.1.1). */
  static MqttPublishMessage publish(String topic, int qos, int messageId, boolean dup, boolean retain,
                                    MqttProperties properties, ByteString payload) {
    MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos(qos), retain, 0);
    return new MqttPublishMessage(fixed, new MqttPublishVariableHeader(topic, qos == 0 ? -1 : messageId, properties),
      Bytes.buf(payload));
  }

  /**
   * The CONNECT's user name, null for none: proto3 cannot tell "none" from "empty", so our extension field
   * {@code empty_username} says an empty one is there (docs/relay.md).
   */
  static String username(String username, boolean empty) {
    return !username.isEmpty() || empty ? username : null;
  }

  /** The CONNECT's password, null for none, as {@link #username} ({@code empty_password}). */
  static byte[] password(ByteString password, boolean empty) {
    return !password.isEmpty() || empty ? password.toByteArray() : null;
  }

  static int messageId(MqttMessage packet) {
    return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
  }

  /** The reason code and properties of DISCONNECT or AUTH; null when the packet has neither (reason 0). */
  static MqttReasonCodeAndPropertiesVariableHeader reasonHeader(MqttMessage packet) {
    Object header = packet.variableHeader();
    return header instanceof MqttReasonCodeAndPropertiesVariableHeader
      ? (MqttReasonCodeAndPropertiesVariableHeader) header : null;
  }

  static MqttQoS qos(int value) {
    MqttQoS qos = MqttQoS.valueOf(value);
    if (qos == MqttQoS.FAILURE) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "QoS " + value + " is not 0, 1 or 2");
    }
    return qos;
  }

  static FlowException unsupported(MqttMessageType type, String version) {
    return new FlowException(FlowError.PROTOCOL_ERROR, "MQTT " + version + " has no " + type + " packet");
  }
}
