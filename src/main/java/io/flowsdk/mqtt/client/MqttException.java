package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * A failure the MQTT protocol names: a reason code from the broker (a refused CONNECT, a PUBACK
 * with an error code, a DISCONNECT) or one the client sends itself when the broker breaks the
 * protocol. {@link #error()} is the {@link FlowError} the reason code maps to, so callers that only
 * know {@link FlowException} still see a meaningful code.
 */
public class MqttException extends FlowException {

  private final ReasonCode reasonCode;
  private final String reasonString;

  /**
   * @param reasonCode   the MQTT reason code
   * @param reasonString the reason string of the packet, or null
   * @param message      what failed, for people
   */
  public MqttException(ReasonCode reasonCode, String reasonString, String message) {
    this(reasonCode, reasonString, message, null);
  }

  /** As {@link #MqttException(ReasonCode, String, String)}, caused by {@code cause} (a socket failure, for example). */
  public MqttException(ReasonCode reasonCode, String reasonString, String message, Throwable cause) {
    super(errorOf(reasonCode), message + " (" + describe(reasonCode) + (reasonString == null ? "" : ": " + reasonString) + ")",
      cause);
    this.reasonCode = reasonCode;
    this.reasonString = reasonString;
  }

  /** The reason code, never null. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  /** The reason string the peer sent with the code, or null. */
  public String reasonString() {
    return reasonString;
  }

  private static String describe(ReasonCode code) {
    return code + " 0x" + Integer.toHexString(code.code());
  }

  /** The {@link FlowError} an MQTT reason code means; the numbers are shared by all packet kinds. */
  public static FlowError errorOf(ReasonCode reasonCode) {
    switch (reasonCode.code()) {
      case 0x86: case 0x87: case 0x8A: case 0x8C:
        return FlowError.NOT_AUTHORIZED;
      case 0x95:
        return FlowError.TOO_LARGE;
      case 0x89: case 0x93: case 0x96: case 0x97: case 0x9F:
        return FlowError.OVERLOADED;
      case 0x81: case 0x82: case 0x84: case 0x94:
        return FlowError.PROTOCOL_ERROR;
      case 0x85: case 0x8F: case 0x90: case 0x99: case 0x9A: case 0x9B: case 0x9E: case 0xA1: case 0xA2:
        return FlowError.INVALID;
      case 0x00: case 0x04: case 0x88: case 0x8B: case 0x8D: case 0x8E: case 0x9C: case 0x9D: case 0xA0:
        return FlowError.DISCONNECTED;
      default:
        return FlowError.REFUSED;
    }
  }
}
