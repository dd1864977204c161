package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * The bus did not take a client's PUBLISH: carries the MQTT 5 PUBACK/PUBREC reason code for the
 * bus's error (0x97 quota exceeded when overloaded, 0x87 not authorized, 0x83 otherwise, 0x80 for
 * anything unexpected).
 */
final class RefusedPublish extends RuntimeException {

  private final int reason;

  RefusedPublish(Throwable cause) {
    super(cause.getMessage(), cause, false, false);
    this.reason = reasonFor(FlowException.from(cause).error());
  }

  /** Refused by the broker itself (the ACL, a limit) with {@code reason}. */
  RefusedPublish(int reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  int reason() {
    return reason;
  }

  static int reasonFor(FlowError error) {
    switch (error) {
      case OVERLOADED:
        return 0x97;
      case NOT_AUTHORIZED:
        return 0x87;
      case INTERNAL:
        return 0x80;
      default:
        return 0x83;
    }
  }
}
