package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/** The wire-code lookup behind the {@code of(int)} of every reason-code enum. */
final class ReasonCodes {

  private ReasonCodes() {
  }

  /** The constant of {@code type} for a wire code; an unknown code fails with {@link FlowError#PROTOCOL_ERROR}. */
  static <R extends Enum<R> & ReasonCode> R of(Class<R> type, int code) {
    for (R r : type.getEnumConstants()) {
      if (r.code() == code) {
        return r;
      }
    }
    throw new FlowException(FlowError.PROTOCOL_ERROR, "unknown " + type.getSimpleName() + " code 0x" + Integer.toHexString(code));
  }
}
