package io.flowsdk.mqtt.testing;

/**
 * SUBSCRIBE: packet identifier (default 1), properties (5.0), then topic filters each with its options byte
 * (QoS in bits 0-1; in 5.0 no local, retain as published, retain handling; bits 6-7 reserved).
 */
public final class SubscribeBuilder extends FilterListBuilder<SubscribeBuilder> {

  SubscribeBuilder(boolean v5) {
    super(PacketType.SUBSCRIBE, v5);
  }

  /** A filter with these options: {@code qos | noLocal << 2 | retainAsPublished << 3 | retainHandling << 4}. */
  public SubscribeBuilder filter(String filter, int options) {
    return filter(RawWriter.utf8(filter), options);
  }

  public SubscribeBuilder filter(byte[] rawUtf8, int options) {
    return entry(new RawWriter().prefixed(rawUtf8).u8(options).toBytes());
  }
}
