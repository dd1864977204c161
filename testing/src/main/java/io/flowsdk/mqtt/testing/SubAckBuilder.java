package io.flowsdk.mqtt.testing;

import java.io.ByteArrayOutputStream;

/** SUBACK and UNSUBACK: packet identifier (default 1), properties (5.0), one reason code per filter. */
public final class SubAckBuilder extends PacketBuilder<SubAckBuilder> {

  private int packetId = 1;
  private RawProperties properties = RawProperties.create();
  private final ByteArrayOutputStream reasonCodes = new ByteArrayOutputStream();

  SubAckBuilder(PacketType type, boolean v5) {
    super(type, v5);
  }

  public SubAckBuilder packetId(int value) {
    packetId = value;
    return this;
  }

  public SubAckBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  public SubAckBuilder reasonCodes(int... codes) {
    for (int code : codes) {
      reasonCodes.write(code);
    }
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    out.u16(packetId);
    if (v5) {
      out.bytes(properties.encode());
    }
    out.bytes(reasonCodes.toByteArray());
  }
}
