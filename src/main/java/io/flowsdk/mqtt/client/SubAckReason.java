package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;

/** Reason codes of SUBACK, one per requested filter (MQTT 5 §3.9.3); MQTT 3.1.1 return codes map onto the same numbers. */
public enum SubAckReason implements ReasonCode {
  GRANTED_QOS_0(0x00),
  GRANTED_QOS_1(0x01),
  GRANTED_QOS_2(0x02),
  UNSPECIFIED_ERROR(0x80),
  IMPLEMENTATION_SPECIFIC_ERROR(0x83),
  NOT_AUTHORIZED(0x87),
  TOPIC_FILTER_INVALID(0x8F),
  PACKET_IDENTIFIER_IN_USE(0x91),
  QUOTA_EXCEEDED(0x97),
  SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E),
  SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1),
  WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2);

  private final int code;

  SubAckReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  public static SubAckReason of(int code) {
    return ReasonCodes.of(SubAckReason.class, code);
  }
}
