package io.flowsdk.mqtt.testing;

/** PINGREQ and PINGRESP: no body (use {@link #trailing(byte...)} to give them one). */
public final class EmptyBuilder extends PacketBuilder<EmptyBuilder> {

  EmptyBuilder(PacketType type, boolean v5) {
    super(type, v5);
  }

  @Override
  void writeBody(RawWriter out) {
    // no variable header, no payload
  }
}
