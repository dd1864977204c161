package io.flowsdk.mqtt.protocol;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every field and property of a packet Netty decoded, one line each, as {@link RandomPacket#expected()} lists them. */
final class DecodedFields {

  private final List<String> lines = new ArrayList<>();

  private DecodedFields() {
  }

  static List<String> of(MqttMessage m) {
    DecodedFields fields = new DecodedFields();
    fields.add(m);
    return fields.lines;
  }

  private void add(MqttMessage m) {
    String type = m.fixedHeader().messageType().name();
    lines.add(type);
    Object header = m.variableHeader();
    if (m instanceof MqttConnectMessage) {
      connect(((MqttConnectMessage) m).variableHeader(), ((MqttConnectMessage) m).payload());
    } else if (m instanceof MqttConnAckMessage) {
      var connack = ((MqttConnAckMessage) m).variableHeader();
      lines.add("session present " + connack.isSessionPresent());
      lines.add("reason " + (connack.connectReturnCode().byteValue() & 0xFF));
      properties(connack.properties(), "");
    } else if (m instanceof MqttPublishMessage) {
      publish((MqttPublishMessage) m);
    } else if (header instanceof MqttPubReplyMessageVariableHeader) {
      var ack = (MqttPubReplyMessageVariableHeader) header;
      lines.add("packet id " + ack.messageId());
      lines.add("reason " + (ack.reasonCode() & 0xFF));
      properties(ack.properties(), "");
    } else if (m instanceof MqttSubscribeMessage) {
      idAndProperties(((MqttSubscribeMessage) m).idAndPropertiesVariableHeader());
      for (MqttTopicSubscription s : ((MqttSubscribeMessage) m).payload().topicSubscriptions()) {
        MqttSubscriptionOption o = s.option();
        int options = o.qos().value() | (o.isNoLocal() ? 4 : 0) | (o.isRetainAsPublished() ? 8 : 0)
          | o.retainHandling().value() << 4;
        lines.add("filter " + s.topicFilter() + " options " + options);
      }
    } else if (m instanceof MqttSubAckMessage) {
      idAndProperties(((MqttSubAckMessage) m).idAndPropertiesVariableHeader());
      ((MqttSubAckMessage) m).payload().reasonCodes().forEach(code -> lines.add("reason " + code));
    } else if (m instanceof MqttUnsubscribeMessage) {
      idAndProperties(((MqttUnsubscribeMessage) m).idAndPropertiesVariableHeader());
      ((MqttUnsubscribeMessage) m).payload().topics().forEach(filter -> lines.add("filter " + filter));
    } else if (m instanceof MqttUnsubAckMessage) {
      idAndProperties(((MqttUnsubAckMessage) m).idAndPropertiesVariableHeader());
      ((MqttUnsubAckMessage) m).payload().unsubscribeReasonCodes().forEach(code -> lines.add("reason " + code));
    } else if (header instanceof MqttReasonCodeAndPropertiesVariableHeader) {
      var reason = (MqttReasonCodeAndPropertiesVariableHeader) header;
      lines.add("reason " + (reason.reasonCode() & 0xFF));
      properties(reason.properties(), "");
    }
  }

  private void connect(MqttConnectVariableHeader header, MqttConnectPayload payload) {
    lines.add("clean start " + header.isCleanSession());
    lines.add("keep alive " + header.keepAliveTimeSeconds());
    properties(header.properties(), "");
    lines.add("client id " + payload.clientIdentifier());
    if (header.isWillFlag()) {
      lines.add("will qos " + header.willQos());
      lines.add("will retain " + header.isWillRetain());
      properties(payload.willProperties(), "will ");
      lines.add("will topic " + payload.willTopic());
      lines.add("will payload " + new String(payload.willMessageInBytes(), StandardCharsets.UTF_8));
    }
    if (header.hasUserName()) {
      lines.add("user name " + payload.userName());
    }
    if (header.hasPassword()) {
      lines.add("password " + new String(payload.passwordInBytes(), StandardCharsets.UTF_8));
    }
  }

  private void publish(MqttPublishMessage publish) {
    lines.add("qos " + publish.fixedHeader().qosLevel().value());
    lines.add("retain " + publish.fixedHeader().isRetain());
    lines.add("dup " + publish.fixedHeader().isDup());
    lines.add("topic " + publish.variableHeader().topicName());
    if (publish.fixedHeader().qosLevel().value() > 0) {
      lines.add("packet id " + publish.variableHeader().packetId());
    }
    properties(publish.variableHeader().properties(), "");
    lines.add("payload " + publish.payload().toString(StandardCharsets.UTF_8));
  }

  private void idAndProperties(MqttMessageIdAndPropertiesVariableHeader header) {
    lines.add("packet id " + header.messageId());
    properties(header.properties(), "");
  }

  /**
   * By identifier; User Properties one line per pair, in the order decoded; Subscription Identifiers by value, their
   * order not being significant (MQTT-3.3.4-4).
   */
  private void properties(MqttProperties props, String prefix) {
    for (int id = 1; id <= 0x2A; id++) {
      List<String> values = new ArrayList<>();
      for (MqttProperties.MqttProperty<?> p : props.getProperties(id)) {
        values.addAll(values(p.value()));
      }
      if (id == PropertyRules.SUBSCRIPTION_IDENTIFIER) {
        values.sort(Comparator.comparingInt(Integer::parseInt));
      }
      for (String value : values) {
        lines.add(String.format("%sproperty 0x%02X %s", prefix, id, value));
      }
    }
  }

  private static List<String> values(Object value) {
    if (value instanceof List) {
      List<String> all = new ArrayList<>();
      ((List<?>) value).forEach(v -> all.addAll(values(v)));
      return all;
    }
    if (value instanceof MqttProperties.StringPair) {
      return List.of(((MqttProperties.StringPair) value).key + "=" + ((MqttProperties.StringPair) value).value);
    }
    if (value instanceof byte[]) {
      return List.of(new String((byte[]) value, StandardCharsets.UTF_8));
    }
    return List.of(String.valueOf(value));
  }
}
