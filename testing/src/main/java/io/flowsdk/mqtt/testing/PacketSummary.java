package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;

/**
 * What a server sent, reduced to what a conformance check looks at: the packet type and its (first) reason code.
 *
 * @param type       the packet type, or null when the packet could not be decoded
 * @param reasonCode the reason code (CONNACK's return code in 3.1.1; DISCONNECT without one: 0), or -1 if it has none
 */
public record PacketSummary(MqttMessageType type, int reasonCode) {

  public static PacketSummary of(MqttMessage m) {
    if (!m.decoderResult().isSuccess()) {
      return new PacketSummary(null, -1);
    }
    MqttMessageType type = m.fixedHeader().messageType();
    Object header = m.variableHeader();
    if (m instanceof MqttConnAckMessage) {
      return new PacketSummary(type, ((MqttConnAckMessage) m).variableHeader().connectReturnCode().byteValue() & 0xFF);
    }
    if (m instanceof MqttSubAckMessage) {
      return new PacketSummary(type, ((MqttSubAckMessage) m).payload().reasonCodes().stream().findFirst().orElse(-1));
    }
    if (m instanceof MqttUnsubAckMessage && ((MqttUnsubAckMessage) m).payload() != null) {
      return new PacketSummary(type, ((MqttUnsubAckMessage) m).payload().unsubscribeReasonCodes().stream().findFirst()
        .map(s -> (int) s).orElse(-1));
    }
    if (header instanceof MqttReasonCodeAndPropertiesVariableHeader) {
      return new PacketSummary(type, ((MqttReasonCodeAndPropertiesVariableHeader) header).reasonCode() & 0xFF);
    }
    if (header instanceof MqttPubReplyMessageVariableHeader) {
      return new PacketSummary(type, ((MqttPubReplyMessageVariableHeader) header).reasonCode() & 0xFF);
    }
    return new PacketSummary(type, type == MqttMessageType.DISCONNECT ? 0 : -1);
  }

  /** Whether this is a CONNACK or DISCONNECT that refuses or ends the connection. */
  public boolean isRefusal() {
    return type == MqttMessageType.CONNACK && reasonCode != 0
      || type == MqttMessageType.DISCONNECT && reasonCode >= 0x80;
  }

  @Override
  public String toString() {
    if (type == null) {
      return "undecodable packet";
    }
    return reasonCode < 0 ? type.name() : String.format("%s 0x%02X", type, reasonCode);
  }
}
