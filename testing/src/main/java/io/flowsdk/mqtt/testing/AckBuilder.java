package io.flowsdk.mqtt.testing;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP: a packet identifier (default 1), then in 5.0 a reason code and properties,
 * each written only when set (the short forms the specification allows).
 */
public final class AckBuilder extends PacketBuilder<AckBuilder> {

  private int packetId = 1;
  private Integer reasonCode;
  private RawProperties properties;

  AckBuilder(PacketType type, boolean v5) {
    super(type, v5);
  }

  public AckBuilder packetId(int value) {
    packetId = value;
    return this;
  }

  /** Written after the packet identifier (in 3.1.1 too, where it makes the packet too long). */
  public AckBuilder reasonCode(int value) {
    reasonCode = value;
    return this;
  }

  /** Written after the reason code (0 if none was set). */
  public AckBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    out.u16(packetId);
    if (reasonCode != null || properties != null) {
      out.u8(reasonCode != null ? reasonCode : 0);
    }
    if (properties != null) {
      out.bytes(properties.encode());
    }
  }
}
