package io.flowsdk.mqtt.testing;

/** UNSUBSCRIBE: packet identifier (default 1), properties (5.0), topic filters. */
public final class UnsubscribeBuilder extends FilterListBuilder<UnsubscribeBuilder> {

  UnsubscribeBuilder(boolean v5) {
    super(PacketType.UNSUBSCRIBE, v5);
  }

  public UnsubscribeBuilder filter(String filter) {
    return filter(RawWriter.utf8(filter));
  }

  public UnsubscribeBuilder filter(byte[] rawUtf8) {
    return entry(new RawWriter().prefixed(rawUtf8).toBytes());
  }
}
