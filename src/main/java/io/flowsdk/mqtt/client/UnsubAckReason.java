package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;

/** Reason codes of UNSUBACK, one per filter (MQTT 5 §3.11.3); MQTT 3.1.1 unsubscriptions are {@link #SUCCESS}. */
public enum UnsubAckReason implements ReasonCode {
  SUCCESS(0x00),
  NO_SUBSCRIPTION_EXISTED(0x11),
  UNSPECIFIED_ERROR(0x80),
  IMPLEMENTATION_SPECIFIC_ERROR(0x83),
  NOT_AUTHORIZED(0x87),
  TOPIC_FILTER_INVALID(0x8F),
  PACKET_IDENTIFIER_IN_USE(0x91);

  private final int code;

  UnsubAckReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  public static UnsubAckReason of(int code) {
    return ReasonCodes.of(UnsubAckReason.class, code);
  }
}
