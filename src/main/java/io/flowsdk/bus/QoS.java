package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/** Delivery guarantee of a flow message, with MQTT's numbering. */
public enum QoS {
  /** Fire and forget: may be dropped under overload (every drop is counted). */
  AT_MOST_ONCE,
  /** Acknowledged and retried: may arrive more than once, never lost silently. */
  AT_LEAST_ONCE,
  /** Acknowledged, retried and de-duplicated by the receiver. */
  EXACTLY_ONCE;

  public int value() {
    return ordinal();
  }

  public static QoS of(int value) {
    if (value < 0 || value > 2) {
      throw new FlowException(FlowError.INVALID, "QoS must be 0, 1 or 2, not " + value);
    }
    return values()[value];
  }

  public QoS min(QoS other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
