package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE: packet identifier (default 1), properties (5.0), then topic filters each with its options byte
 * (QoS in bits 0-1; in 5.0 no local, retain as published, retain handling; bits 6-7 reserved).
 */
public final class SubscribeBuilder extends PacketBuilder<SubscribeBuilder> {

  private int packetId = 1;
  private RawProperties properties = RawProperties.create();
  private final List<byte[]> entries = new ArrayList<>();

  SubscribeBuilder(boolean v5) {
    super(PacketType.SUBSCRIBE, v5);
  }

  public SubscribeBuilder packetId(int value) {
    packetId = value;
    return this;
  }

  public SubscribeBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  /** A filter with these options: {@code qos | noLocal << 2 | retainAsPublished << 3 | retainHandling << 4}. */
  public SubscribeBuilder filter(String filter, int options) {
    return filter(RawWriter.utf8(filter), options);
  }

  public SubscribeBuilder filter(byte[] rawUtf8, int options) {
    entries.add(new RawWriter().prefixed(rawUtf8).u8(options).toBytes());
    return this;
  }

  @Override
  void writeBody(RawWriter out) {
    out.u16(packetId);
    if (v5) {
      out.bytes(properties.encode());
    }
    entries.forEach(out::bytes);
  }
}
