package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.DisconnectReason;

/**
 * Thrown inside the protocol state machine when the broker breaks the protocol; the session catches
 * it at the packet boundary, sends DISCONNECT with {@link #reason()} and closes. Never leaves the session.
 */
final class ProtocolViolation extends RuntimeException {

  private final DisconnectReason reason;

  ProtocolViolation(DisconnectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  DisconnectReason reason() {
    return reason;
  }
}
