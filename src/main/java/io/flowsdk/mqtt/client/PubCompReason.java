package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;

/** Reason codes of PUBREL and PUBCOMP (MQTT 5 §3.6.2.1, §3.7.2.1). */
public enum PubCompReason implements ReasonCode {
  SUCCESS(0x00),
  PACKET_IDENTIFIER_NOT_FOUND(0x92);

  private final int code;

  PubCompReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  public static PubCompReason of(int code) {
    return ReasonCodes.of(PubCompReason.class, code);
  }
}
