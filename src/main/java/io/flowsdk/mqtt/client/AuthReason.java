package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;

/** Reason codes of AUTH, the enhanced authentication exchange (MQTT 5 §3.15.2.1). */
public enum AuthReason implements ReasonCode {
  SUCCESS(0x00),
  CONTINUE_AUTHENTICATION(0x18),
  RE_AUTHENTICATE(0x19);

  private final int code;

  AuthReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  public static AuthReason of(int code) {
    return ReasonCodes.of(AuthReason.class, code);
  }
}
