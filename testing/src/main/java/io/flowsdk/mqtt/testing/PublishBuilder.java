package io.flowsdk.mqtt.testing;

/**
 * PUBLISH. The packet identifier is written when the QoS is 1 or 2 (or 3, which is forbidden), unless
 * {@link #packetId(int)} or {@link #withoutPacketId()} decides otherwise. Defaults: QoS 0, topic "t", empty payload.
 */
public final class PublishBuilder extends PacketBuilder<PublishBuilder> {

  private boolean dup;
  private int qos;
  private boolean retain;
  private byte[] topic = RawWriter.utf8("t");
  private Integer packetId;
  private boolean omitPacketId;
  private RawProperties properties = RawProperties.create();
  private byte[] payload = new byte[0];

  PublishBuilder(boolean v5) {
    super(PacketType.PUBLISH, v5);
  }

  public PublishBuilder dup(boolean value) {
    dup = value;
    return this;
  }

  /** 0, 1, 2, or the forbidden 3. */
  public PublishBuilder qos(int value) {
    qos = value;
    return this;
  }

  public PublishBuilder retain(boolean value) {
    retain = value;
    return this;
  }

  public PublishBuilder topic(String value) {
    return topic(RawWriter.utf8(value));
  }

  public PublishBuilder topic(byte[] rawUtf8) {
    topic = rawUtf8.clone();
    return this;
  }

  /** Writes this packet identifier, whatever the QoS (0 is forbidden). */
  public PublishBuilder packetId(int value) {
    packetId = value;
    omitPacketId = false;
    return this;
  }

  /** Writes no packet identifier, whatever the QoS. */
  public PublishBuilder withoutPacketId() {
    omitPacketId = true;
    return this;
  }

  public PublishBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  public PublishBuilder payload(String value) {
    return payload(RawWriter.utf8(value));
  }

  public PublishBuilder payload(byte[] value) {
    payload = value.clone();
    return this;
  }

  @Override
  int defaultFlags() {
    return (dup ? 0x08 : 0) | (qos & 3) << 1 | (retain ? 1 : 0);
  }

  @Override
  void writeBody(RawWriter out) {
    out.prefixed(topic);
    if (!omitPacketId && (packetId != null || qos > 0)) {
      out.u16(packetId != null ? packetId : 1);
    }
    if (v5) {
      out.bytes(properties.encode());
    }
    out.bytes(payload);
  }
}
