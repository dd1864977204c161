package io.flowsdk.mqtt.broker.impl;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * Bad input from a client that ends its connection: MQTT 5 clients get a DISCONNECT with
 * {@link #reason()} first, MQTT 3.1.1 clients only the close (their protocol has no way to say why).
 */
final class ProtocolViolation extends RuntimeException {

  private final MqttDisconnectReasonCode reason;

  ProtocolViolation(MqttDisconnectReasonCode reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  MqttDisconnectReasonCode reason() {
    return reason;
  }
}
