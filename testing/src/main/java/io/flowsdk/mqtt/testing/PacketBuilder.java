package io.flowsdk.mqtt.testing;

import java.util.Arrays;

/**
 * What every packet builder can break: the fixed header (type, flags, remaining length), the body as a
 * whole, extra bytes after it, and the length of the encoded packet. Nothing is validated.
 *
 * @param <B> the concrete builder, for chaining
 */
public abstract class PacketBuilder<B extends PacketBuilder<B>> {

  private final PacketType type;
  /** Whether the packet is written the MQTT 5.0 way (with reason codes and properties). */
  protected final boolean v5;
  private Integer typeNibble;
  private Integer flags;
  private Long remainingLength;
  private byte[] remainingLengthBytes;
  private byte[] body;
  private byte[] trailing = new byte[0];
  private Integer truncate;

  PacketBuilder(PacketType type, boolean v5) {
    this.type = type;
    this.v5 = v5;
  }

  /** Writes any value 0-15 as the packet type (0 is reserved and forbidden). */
  public B typeNibble(int value) {
    typeNibble = value;
    return self();
  }

  /** Writes these low four bits instead of the flags the packet type requires. */
  public B flags(int value) {
    flags = value;
    return self();
  }

  /** Writes this remaining length instead of the real one. */
  public B remainingLength(long value) {
    remainingLength = value;
    return self();
  }

  /** Writes these bytes as the remaining length (a five-byte or non-minimal variable byte integer). */
  public B remainingLengthBytes(byte... value) {
    remainingLengthBytes = value.clone();
    return self();
  }

  /** Replaces the variable header and payload with these bytes. */
  public B body(byte... value) {
    body = value.clone();
    return self();
  }

  /** Appends these bytes to the body (they count in the remaining length). */
  public B trailing(byte... value) {
    trailing = value.clone();
    return self();
  }

  /** Keeps only the first {@code length} bytes of the encoded packet. */
  public B truncate(int length) {
    truncate = length;
    return self();
  }

  public RawPacket build() {
    RawWriter bodyWriter = new RawWriter();
    if (body != null) {
      bodyWriter.bytes(body);
    } else {
      writeBody(bodyWriter);
    }
    byte[] content = bodyWriter.bytes(trailing).toBytes();
    int first = ((typeNibble != null ? typeNibble : type.value()) << 4) | ((flags != null ? flags : defaultFlags()) & 0x0F);
    RawWriter packet = new RawWriter().u8(first);
    if (remainingLengthBytes != null) {
      packet.bytes(remainingLengthBytes);
    } else {
      packet.varint(remainingLength != null ? remainingLength : content.length);
    }
    byte[] bytes = packet.bytes(content).toBytes();
    if (truncate != null && truncate < bytes.length) {
      bytes = Arrays.copyOf(bytes, truncate);
    }
    return new RawPacket(type, bytes);
  }

  /** The flags the packet's fields call for. */
  int defaultFlags() {
    return type.requiredFlags();
  }

  abstract void writeBody(RawWriter out);

  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }
}
