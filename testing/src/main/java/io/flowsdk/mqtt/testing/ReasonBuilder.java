package io.flowsdk.mqtt.testing;

/**
 * DISCONNECT and AUTH: in 5.0 a reason code and properties, each written only when set (an empty body means
 * reason code 0). In 3.1.1 DISCONNECT has no body.
 */
public final class ReasonBuilder extends PacketBuilder<ReasonBuilder> {

  private Integer reasonCode;
  private RawProperties properties;

  ReasonBuilder(PacketType type, boolean v5) {
    super(type, v5);
  }

  public ReasonBuilder reasonCode(int value) {
    reasonCode = value;
    return this;
  }

  /** Written after the reason code (0 if none was set). */
  public ReasonBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    if (reasonCode != null || properties != null) {
      out.u8(reasonCode != null ? reasonCode : 0);
    }
    if (properties != null) {
      out.bytes(properties.encode());
    }
  }
}
