package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What SUBSCRIBE and UNSUBSCRIBE share: packet identifier (default 1), properties (5.0), then the raw
 * bytes of each topic-filter entry, written in the order they were added.
 */
abstract class FilterListBuilder<B extends FilterListBuilder<B>> extends PacketBuilder<B> {

  private int packetId = 1;
  private RawProperties properties = RawProperties.create();
  private final List<byte[]> entries = new ArrayList<>();

  FilterListBuilder(PacketType type, boolean v5) {
    super(type, v5);
  }

  public B packetId(int value) {
    packetId = value;
    return self();
  }

  public B properties(RawProperties value) {
    properties = value;
    return self();
  }

  /** Adds one entry, already encoded. */
  B entry(byte[] encoded) {
    entries.add(encoded);
    return self();
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
