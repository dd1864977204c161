package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;

/** Numbers and builds the stream messages one side of a session sends. */
final class StreamMessages {

  private final MessageDirection direction;
  private long next;

  StreamMessages(MessageDirection direction, long first) {
    this.direction = direction;
    this.next = first;
  }

  private MqttStreamMessage.Builder start() {
    return MqttStreamMessage.newBuilder().setSequenceId(next++).setDirection(direction);
  }

  MqttStreamMessage packet(MqttMessage packet, MqttVersion version) {
    return PacketMapping.toProto(packet, version, start()).build();
  }

  /** ESTABLISHV5 for an MQTT 5 session, ESTABLISHV3 for 3.1 and 3.1.1, as FlowSDK's r-proxy sends it. */
  static SessionControl.ControlType establish(MqttVersion version) {
    return version == MqttVersion.MQTT_5 ? SessionControl.ControlType.ESTABLISHV5 : SessionControl.ControlType.ESTABLISHV3;
  }

  MqttStreamMessage control(SessionControl.ControlType type, String clientId, String reason) {
    return start().setSessionControl(SessionControl.newBuilder().setControlType(type).setClientId(clientId)
      .setReason(reason)).build();
  }

  /**
   * An MQTT 5 server DISCONNECT with {@code code} and the reason string {@code reason}. A lost upstream or
   * broker is "Use another server": "Server unavailable" (0x88) is a CONNACK code only.
   */
  static MqttMessage disconnect(DisconnectReason code, String reason) {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    return new MqttMessage(NettyPackets.fixed(MqttMessageType.DISCONNECT),
      new MqttReasonCodeAndPropertiesVariableHeader((byte) code.code(), props));
  }

  /** CONNACK "Server unavailable" (5.0: 0x88 with the reason string; 3.1.1: return code 3). */
  static MqttMessage serverUnavailable(MqttVersion version, String reason) {
    return refusal(version, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, reason);
  }

  /** A CONNACK refusing the client: {@code mqtt5} with the reason string for MQTT 5, {@code mqtt311} otherwise. */
  static MqttMessage refusal(MqttVersion version, MqttConnectReturnCode mqtt5, MqttConnectReturnCode mqtt311, String reason) {
    MqttConnAckVariableHeader header;
    if (version == MqttVersion.MQTT_5) {
      MqttProperties props = new MqttProperties();
      props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
      header = new MqttConnAckVariableHeader(mqtt5, false, props);
    } else {
      header = new MqttConnAckVariableHeader(mqtt311, false);
    }
    return new MqttConnAckMessage(NettyPackets.fixed(MqttMessageType.CONNACK), header);
  }
}
