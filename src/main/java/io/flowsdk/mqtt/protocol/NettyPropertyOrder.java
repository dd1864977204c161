package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;

/**
 * Puts the properties of a packet's MQTT 5 property blocks in an order Netty's {@code MqttDecoder} (4.2.9) reads in
 * full. Its {@code decodeProperties} starts its count of bytes read at the size of the block's length field, then
 * reads properties while that count is below the block's length: it stops as many bytes early as the length field
 * takes. A last property no longer than the length field (1 byte below 128 bytes of properties, 2 bytes up to 16,383,
 * 3 up to 2,097,151) is never read, and its bytes count as the fields after the block: a PUBLISH's payload starts
 * with them, a CONNECT's client identifier is read from them, a CONNACK or an acknowledgement is left with them
 * unread. No property is a single byte, so only blocks of 128 bytes or more lose one: a one-byte property (Payload
 * Format Indicator, Request Problem Information, Maximum QoS, …) or a Subscription Identifier below 128 after long
 * User Properties or strings, which is how Mosquitto writes its command line's properties and Netty's encoder the
 * Subscription Identifiers of a PUBLISH.
 *
 * <p>Reordering is the cheap fix and keeps a valid packet: the short properties after the block's last longer one
 * move to its front, in place, the packet's length unchanged (a decoder without the bug reads it the same). User
 * Properties are never moved (they take 5 bytes or more), so their order, which MQTT 5 requires kept, stays; the
 * order of the others carries no meaning (MQTT-3.3.4-4 for Subscription Identifiers; Netty's {@code MqttProperties}
 * keeps properties by identifier anyway). Correcting the decoded message instead would mean decoding every field
 * after the block again. A block made only of properties no longer than its length field (64 or more Subscription
 * Identifiers below 128 in one PUBLISH) cannot be put in such an order and fails with a {@link DecoderException}
 * rather than decode wrongly. A packet the walk finds malformed fails with a {@link WireViolation} rather than going
 * to the decoder unordered: Netty's decoder lets some through, such as a Variable Byte Integer in more bytes than it
 * needs, whose re-encoding in fewest bytes can leave a block of short properties only (input
 * {@code crash-subscription-identifier-not-in-fewest-bytes}).
 */
final class NettyPropertyOrder {

  /** The smallest packet that can hold a property block of 128 bytes: a header, an empty topic, a 2-byte length. */
  private static final int SMALLEST_AFFECTED_PACKET = 2 + 2 + 2 + 128;

  private NettyPropertyOrder() {
  }

  /**
   * Reorders, in place, the property blocks Netty's decoder would misread in the packet of {@code length} bytes at
   * {@code from} in {@code packet}, which belongs to an MQTT 5 connection if {@code v5} (a CONNECT says for itself).
   *
   * @throws DecoderException if a block cannot be reordered for Netty's decoder to read it in full
   * @throws WireViolation if the packet is malformed
   */
  static void reorder(ByteBuf packet, int from, int length, boolean v5) {
    int firstByte = packet.getUnsignedByte(from);
    if (length < SMALLEST_AFFECTED_PACKET || !v5 && firstByte >> 4 != PacketLayout.CONNECT) {
      return;
    }
    PacketLayout.walk(firstByte, PacketLayout.body(packet, from, length), v5, NettyPropertyOrder::block);
  }

  /**
   * Reorders the block {@code body} is at, if it must be, and moves {@code body} past it. Netty's decoder reads
   * each property by its identifier's type whatever the packet, one {@code packet} may not carry too (a CONNACK with
   * Subscription Identifiers: input {@code crash-connack-with-subscription-identifiers}), so the walk here does.
   */
  private static void block(WireReader body, PropertyRules packet) {
    int fieldStart = body.position();
    int length = body.readVariableInt();
    int field = body.position() - fieldStart;
    int start = body.position();
    body.skip(length, "the properties");
    if (field == 1) {
      return;
    }
    WireReader props = new WireReader(body.buffer(), start, start + length);
    int lastLong = -1; // where the properties after the last one longer than the length field start
    int lastSize = 0;
    while (props.hasMore()) {
      int at = props.position();
      int id = props.readVariableInt();
      PropertyRules.Type type = PropertyRules.typeInAnyPacket(id);
      if (type == null) {
        throw WireViolation.malformed("property 0x" + Integer.toHexString(id) + " is not an MQTT 5 property (2.2.2.2)");
      }
      props.readValue(type, "a property");
      lastSize = props.position() - at;
      if (lastSize > field) {
        lastLong = props.position();
      }
    }
    if (lastSize > field) {
      return;
    }
    if (lastLong < 0) {
      throw new DecoderException("a property block of " + length + " bytes whose properties are no longer than its "
        + field + "-byte length field, which Netty's decoder cannot read in full");
    }
    rotate(body.buffer(), start, lastLong, start + length);
  }

  /** Moves the bytes from {@code middle} to {@code end} before those from {@code start}. */
  private static void rotate(ByteBuf buf, int start, int middle, int end) {
    byte[] block = new byte[end - start];
    buf.getBytes(start, block);
    int tail = end - middle;
    buf.setBytes(start, block, middle - start, tail);
    buf.setBytes(start + tail, block, 0, middle - start);
  }
}
