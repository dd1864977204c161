package io.flowsdk.mqtt.protocol;

/**
 * A packet whose bytes break the MQTT specification, found by {@link WireReader} before Netty's decoder (which
 * lets these through) reads it: {@link #reasonCode()} is the MQTT 5 reason the connection closes with, 0x81
 * (Malformed Packet) or 0x82 (Protocol Error).
 */
public final class WireViolation extends RuntimeException {

  public static final int MALFORMED_PACKET = 0x81;
  public static final int PROTOCOL_ERROR = 0x82;

  private final int reasonCode;

  public WireViolation(int reasonCode, String message) {
    super(message, null, false, false);
    this.reasonCode = reasonCode;
  }

  static WireViolation malformed(String message) {
    return new WireViolation(MALFORMED_PACKET, message);
  }

  /** 0x81 Malformed Packet or 0x82 Protocol Error. */
  public int reasonCode() {
    return reasonCode;
  }
}
