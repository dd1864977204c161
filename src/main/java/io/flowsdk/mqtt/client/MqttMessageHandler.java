package io.flowsdk.mqtt.client;

import io.vertx.core.Future;

/**
 * Receives inbound messages. The returned future is the acknowledgement: a QoS 1 PUBACK or QoS 2
 * PUBREC is sent only when it completes, so a message is not acknowledged to the broker before the
 * application has taken it. A failed future is acknowledged with an error reason code (the
 * {@link MqttException}'s code, otherwise Unspecified error) on MQTT 5; MQTT 3.1.1 has no negative
 * acknowledgement, so there the message is acknowledged anyway. Acknowledgements leave in the order
 * the messages arrived. Until acknowledged, a message counts against the client's Receive Maximum.
 */
@FunctionalInterface
public interface MqttMessageHandler {

  /** Handles one message; complete the future when the message is safe. */
  Future<Void> handle(InboundMessage message);
}
