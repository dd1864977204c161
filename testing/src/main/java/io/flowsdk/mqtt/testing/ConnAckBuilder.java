package io.flowsdk.mqtt.testing;

/** CONNACK: acknowledge flags (bit 0 session present; the others reserved), reason/return code, properties (5.0). */
public final class ConnAckBuilder extends PacketBuilder<ConnAckBuilder> {

  private int ackFlags;
  private int reasonCode;
  private RawProperties properties = RawProperties.create();

  ConnAckBuilder(boolean v5) {
    super(PacketType.CONNACK, v5);
  }

  public ConnAckBuilder sessionPresent(boolean value) {
    ackFlags = value ? ackFlags | 1 : ackFlags & ~1;
    return this;
  }

  /** The whole acknowledge flags byte, reserved bits included. */
  public ConnAckBuilder ackFlags(int value) {
    ackFlags = value;
    return this;
  }

  /** The reason code (5.0) or return code (3.1.1). */
  public ConnAckBuilder reasonCode(int value) {
    reasonCode = value;
    return this;
  }

  public ConnAckBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    out.u8(ackFlags).u8(reasonCode);
    if (v5) {
      out.bytes(properties.encode());
    }
  }
}
