package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE: packet identifier (default 1), properties (5.0), topic filters. */
public final class UnsubscribeBuilder extends PacketBuilder<UnsubscribeBuilder> {

  private int packetId = 1;
  private RawProperties properties = RawProperties.create();
  private final List<byte[]> filters = new ArrayList<>();

  UnsubscribeBuilder(boolean v5) {
    super(PacketType.UNSUBSCRIBE, v5);
  }

  public UnsubscribeBuilder packetId(int value) {
    packetId = value;
    return this;
  }

  public UnsubscribeBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  public UnsubscribeBuilder filter(String filter) {
    return filter(RawWriter.utf8(filter));
  }

  public UnsubscribeBuilder filter(byte[] rawUtf8) {
    filters.add(rawUtf8.clone());
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    out.u16(packetId);
    if (v5) {
      out.bytes(properties.encode());
    }
    filters.forEach(out::prefixed);
  }
}
