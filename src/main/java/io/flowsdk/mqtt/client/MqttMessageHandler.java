package io.flowsdk.mqtt.client;

import io.vertx.core.Future;

/**
 * Receives inbound messages. The returned future is the acknowledgement: a QoS 1 PUBACK or QoS 2
 * PUBREC is sent only when it completes, so a message is not acknowledged to the broker before the
 * application has taken it. A future failed with an {@link MqttException} carrying an error reason
 * code (0x80 or above) <em>refuses</em> the message: MQTT 5 sends that reason code, MQTT 3.1.1 (no
 * negative acknowledgement) a plain acknowledgement; either way the broker does not send it again.
 * A future failed with anything else means <em>not taken</em>: the client acknowledges neither it nor
 * the messages behind it, closes the connection (MQTT 5: DISCONNECT 0x80) and reconnects, and the
 * broker sends them again when the session resumes (so only with a persistent session). QoS 0
 * messages are never acknowledged. Acknowledgements leave in the order the messages arrived. Until
 * acknowledged, a message counts against the client's Receive Maximum.
 */
@FunctionalInterface
public interface MqttMessageHandler {

  /** Handles one message; complete the future when the message is safe. */
  Future<Void> handle(InboundMessage message);
}
