package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.ConnectReason;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.Collections;

/** Reads a CONNACK into {@link ConnAckInfo}, filling in the MQTT 5 defaults for absent properties. */
final class ConnAcks {

  /** Largest packet MQTT allows: 1 + 4 + 268435455 bytes. */
  static final long PROTOCOL_MAX_PACKET = 268_435_460L;

  private ConnAcks() {
  }

  /** The capabilities of a successful CONNACK; throws {@link MqttException} for a refusal. */
  static ConnAckInfo read(MqttMessage connack, MqttClientOptions options) {
    MqttConnAckVariableHeader h = (MqttConnAckVariableHeader) connack.variableHeader();
    int raw = h.connectReturnCode().byteValue() & 0xFF;
    boolean v5 = options.getVersion() == MqttVersion.V5;
    ConnectReason reason = v5 ? ConnectReason.of(raw) : fromV3(raw);
    MqttProperties p = h.properties() == null ? MqttProperties.NO_PROPERTIES : h.properties();
    if (reason != ConnectReason.SUCCESS) {
      throw new MqttException(reason, MqttProps.reasonString(p), "the broker refused the connection");
    }
    if (MqttProps.integer(p, MqttProperties.RECEIVE_MAXIMUM, 65535) == 0 || MqttProps.unsigned(p, MqttProperties.MAXIMUM_PACKET_SIZE, 1) == 0) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "CONNACK with Receive Maximum or Maximum Packet Size 0");
    }
    return new ConnAckInfo(
      reason,
      h.isSessionPresent(),
      MqttProps.string(p, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER),
      MqttProps.unsigned(p, MqttProperties.SESSION_EXPIRY_INTERVAL, options.getSessionExpiryIntervalSeconds()),
      MqttProps.integer(p, MqttProperties.RECEIVE_MAXIMUM, 65535),
      QoS.of(MqttProps.integer(p, MqttProperties.MAXIMUM_QOS, 2)),
      MqttProps.integer(p, MqttProperties.RETAIN_AVAILABLE, 1) == 1,
      MqttProps.unsigned(p, MqttProperties.MAXIMUM_PACKET_SIZE, PROTOCOL_MAX_PACKET),
      MqttProps.integer(p, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0),
      MqttProps.integer(p, MqttProperties.SERVER_KEEP_ALIVE, options.getKeepAliveSeconds()),
      MqttProps.integer(p, MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1,
      MqttProps.integer(p, MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, v5 ? 1 : 0) == 1,
      MqttProps.integer(p, MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1,
      MqttProps.string(p, MqttProperties.RESPONSE_INFORMATION),
      MqttProps.string(p, MqttProperties.SERVER_REFERENCE),
      MqttProps.reasonString(p),
      MqttProps.binary(p, MqttProperties.AUTHENTICATION_DATA),
      p.isEmpty() ? Collections.emptyList() : MqttProps.userProperties(p));
  }

  /** MQTT 3.1.1 return codes 0-5 as their MQTT 5 equivalents. */
  static ConnectReason fromV3(int code) {
    switch (code) {
      case 0: return ConnectReason.SUCCESS;
      case 1: return ConnectReason.UNSUPPORTED_PROTOCOL_VERSION;
      case 2: return ConnectReason.CLIENT_IDENTIFIER_NOT_VALID;
      case 3: return ConnectReason.SERVER_UNAVAILABLE;
      case 4: return ConnectReason.BAD_USER_NAME_OR_PASSWORD;
      case 5: return ConnectReason.NOT_AUTHORIZED;
      default: return ConnectReason.of(code);
    }
  }
}
