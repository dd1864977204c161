package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Reads the fields of one MQTT packet from its bytes, for the checks Netty's decoder does not make: every read
 * stays inside the packet, and what breaks the specification fails with a {@link WireViolation}. The buffer is
 * only looked at (its indexes do not move).
 */
public final class WireReader {

  private final ByteBuf buf;
  private final int end;
  private int pos;

  /** A reader of {@code buf}'s bytes from {@code from} up to (excluding) {@code end}. */
  public WireReader(ByteBuf buf, int from, int end) {
    this.buf = buf;
    this.pos = from;
    this.end = end;
  }

  /**
   * The length in bytes of the packet (fixed header included) whose first byte is at {@code from}, -1 while its
   * fixed header is incomplete. Fails if the remaining length takes more than four bytes or more than it needs
   * (MQTT-1.5.5-1).
   */
  public static int packetLength(ByteBuf buf, int from, int available) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      if (1 + i >= available) {
        return -1;
      }
      int b = buf.getUnsignedByte(from + 1 + i);
      value |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw WireViolation.malformed("the remaining length is not encoded in the fewest bytes (MQTT-1.5.5-1)");
        }
        return 2 + i + value;
      }
    }
    throw WireViolation.malformed("the remaining length takes more than four bytes (1.5.5)");
  }

  /** The index in the buffer of the next byte to read. */
  int position() {
    return pos;
  }

  ByteBuf buffer() {
    return buf;
  }

  /** Whether bytes are left in the packet. */
  public boolean hasMore() {
    return pos < end;
  }

  /** How many bytes are left in the packet. */
  public int left() {
    return end - pos;
  }

  public int readByte() {
    need(1, "a byte");
    return buf.getUnsignedByte(pos++);
  }

  public int readTwoBytes() {
    need(2, "a two-byte integer");
    int v = buf.getUnsignedShort(pos);
    pos += 2;
    return v;
  }

  public void skip(int bytes, String what) {
    need(bytes, what);
    pos += bytes;
  }

  /** Reads a Variable Byte Integer; fails unless it is in the fewest bytes (MQTT-1.5.5-1) and at most four. */
  public int readVariableInt() {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int b = readByte();
      value |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw WireViolation.malformed("a variable byte integer is not encoded in the fewest bytes (MQTT-1.5.5-1)");
        }
        return value;
      }
    }
    throw WireViolation.malformed("a variable byte integer takes more than four bytes (1.5.5)");
  }

  /** Reads a UTF-8 string named {@code what}; fails unless it is well-formed (MQTT-1.5.4-1). */
  public void readString(String what) {
    int length = readTwoBytes();
    need(length, what);
    if (!Utf8.isWellFormed(buf, pos, length)) {
      throw WireViolation.malformed(what + " is not well-formed UTF-8 (MQTT-1.5.4-1)");
    }
    pos += length;
  }

  public void readBinary(String what) {
    skip(readTwoBytes(), what);
  }

  /**
   * Reads an MQTT 5 property block of a {@code packet}: fails on a property that packet may not carry (Malformed
   * Packet, 2.2.2.2), on one twice that may appear once (Protocol Error) and on an ill-formed string. Returns the
   * identifiers seen, one bit each.
   */
  public long readProperties(PropertyRules packet) {
    int length = readVariableInt();
    need(length, "the properties");
    WireReader props = new WireReader(buf, pos, pos + length);
    pos += length;
    long seen = 0;
    while (props.hasMore()) {
      int id = props.readVariableInt();
      PropertyRules.Type type = packet.typeOf(id);
      if (type == null) {
        throw WireViolation.malformed("property 0x" + Integer.toHexString(id) + " is not one of a " + packet + " (2.2.2.2)");
      }
      long bit = 1L << id;
      if ((seen & bit) != 0 && !packet.mayRepeat(id)) {
        throw new WireViolation(WireViolation.PROTOCOL_ERROR,
          "property 0x" + Integer.toHexString(id) + " appears twice in a " + packet + " (2.2.2.2)");
      }
      seen |= bit;
      props.readValue(type, "property 0x" + Integer.toHexString(id));
    }
    return seen;
  }

  /** Reads a property's value encoded as {@code type}. */
  void readValue(PropertyRules.Type type, String what) {
    switch (type) {
      case BYTE -> skip(1, what);
      case TWO_BYTES -> skip(2, what);
      case FOUR_BYTES -> skip(4, what);
      case VARIABLE_INT -> readVariableInt();
      case STRING -> readString(what);
      case BINARY -> readBinary(what);
      case STRING_PAIR -> {
        readString(what + "'s name");
        readString(what + "'s value");
      }
    }
  }

  private void need(int bytes, String what) {
    if (bytes > end - pos) {
      throw WireViolation.malformed(what + " runs past the end of the packet");
    }
  }
}
