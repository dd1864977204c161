package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;

/**
 * Maps MQTT client messages to and from {@link FlowMessage}s. Every field has a counterpart: user
 * properties are headers, and message expiry, content type, response topic, correlation data and
 * payload format are carried as they are. The offline-buffer priority of a publish is the message's
 * priority. Subscription identifiers and the DUP flag have no place on the bus and are dropped.
 */
public final class MqttFlowMessages {

  private MqttFlowMessages() {
  }

  /** The flow message for an inbound message, on the same topic. */
  public static FlowMessage toFlowMessage(InboundMessage message, FlowOrigin origin) {
    return toFlowMessage(message, message.topic(), origin);
  }

  /** The flow message for an inbound message, on {@code busTopic} (after a topic mapping). */
  public static FlowMessage toFlowMessage(InboundMessage message, String busTopic, FlowOrigin origin) {
    FlowMessage.Builder b = FlowMessage.builder(busTopic)
      .payload(message.payload())
      .headers(message.userProperties())
      .qos(message.qos())
      .retain(message.retain())
      .contentType(message.contentType())
      .responseTopic(message.responseTopic())
      .correlationData(message.correlationData())
      .payloadFormat(message.payloadFormat())
      .origin(origin);
    if (message.messageExpirySeconds() >= 0) {
      b.messageExpiry(message.messageExpirySeconds());
    }
    return b.build();
  }

  /** The publish request for a flow message, on the same topic; the expiry left now is sent. */
  public static PublishRequest toPublishRequest(FlowMessage message) {
    return toPublishRequest(message, message.topic());
  }

  /** The publish request for a flow message, on {@code brokerTopic} (after a topic mapping). */
  public static PublishRequest toPublishRequest(FlowMessage message, String brokerTopic) {
    PublishRequest.Builder b = PublishRequest.builder(brokerTopic)
      .payload(message.payload())
      .userProperties(message.headers())
      .qos(message.qos())
      .retain(message.retain())
      .contentType(message.contentType())
      .responseTopic(message.responseTopic())
      .correlationData(message.correlationData())
      .payloadFormat(message.payloadFormat())
      .priority(message.priority());
    message.remainingExpiry(System.currentTimeMillis()).ifPresent(b::messageExpiry);
    return b.build();
  }
}
