package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;

/** Reason codes of PUBREC (MQTT 5 §3.5.2.1); an error code ends the QoS 2 exchange without PUBREL. */
public enum PubRecReason implements ReasonCode {
  SUCCESS(0x00),
  NO_MATCHING_SUBSCRIBERS(0x10),
  UNSPECIFIED_ERROR(0x80),
  IMPLEMENTATION_SPECIFIC_ERROR(0x83),
  NOT_AUTHORIZED(0x87),
  TOPIC_NAME_INVALID(0x90),
  PACKET_IDENTIFIER_IN_USE(0x91),
  QUOTA_EXCEEDED(0x97),
  PAYLOAD_FORMAT_INVALID(0x99);

  private final int code;

  PubRecReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  public static PubRecReason of(int code) {
    return ReasonCodes.of(PubRecReason.class, code);
  }
}
