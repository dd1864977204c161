package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.protocol.MqttProps;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.buffer.Buffer;

/** Between MQTT PUBLISH fields and flow messages: every MQTT 5 property crosses the bus unchanged. */
final class BrokerMessages {

  /** The adapter name in the origin of messages the broker's clients publish. */
  static final String ADAPTER = "mqtt-broker";

  private BrokerMessages() {
  }

  /** A flow message for a client's PUBLISH (or will) on the resolved {@code topic}. */
  static FlowMessage toFlowMessage(String topic, Buffer payload, int qos, boolean retain, MqttProperties props,
                                   FlowOrigin origin) {
    FlowMessage.Builder b = FlowMessage.builder(topic)
      .payload(payload)
      .qos(QoS.of(qos))
      .retain(retain)
      .origin(origin)
      .headers(MqttProps.userProperties(props))
      .contentType(MqttProps.string(props, MqttProperties.CONTENT_TYPE))
      .responseTopic(MqttProps.string(props, MqttProperties.RESPONSE_TOPIC))
      .correlationData(MqttProps.binary(props, MqttProperties.CORRELATION_DATA))
      .payloadFormat(MqttProps.integer(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0) == 1
        ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED);
    long expiry = MqttProps.unsigned(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, -1);
    if (expiry >= 0) {
      b.messageExpiry(expiry);
    }
    return b.build();
  }

  /**
   * The MQTT 5 properties of a delivery at {@code nowMillis}: the message's own, its remaining
   * expiry, and the subscription identifiers it matched.
   */
  static MqttProperties properties(Delivery delivery, long nowMillis) {
    FlowMessage m = delivery.message;
    MqttProperties props = new MqttProperties();
    if (m.payloadFormat() == PayloadFormat.UTF8) {
      MqttProps.putInt(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1);
    }
    m.remainingExpiry(nowMillis).ifPresent(left -> MqttProps.putInt(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) left));
    MqttProps.putString(props, MqttProperties.CONTENT_TYPE, m.contentType());
    MqttProps.putString(props, MqttProperties.RESPONSE_TOPIC, m.responseTopic());
    MqttProps.putBinary(props, MqttProperties.CORRELATION_DATA, m.correlationData());
    MqttProps.putUser(props, m.headers());
    for (int id : delivery.subscriptionIds) {
      MqttProps.putInt(props, MqttProperties.SUBSCRIPTION_IDENTIFIER, id);
    }
    return props;
  }
}
