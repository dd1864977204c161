package io.flowsdk.mqtt.protocol;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

import java.util.List;

/**
 * Sits before Netty's {@code MqttDecoder} ({@link #decoder}) and hands it one whole packet at a time, cut by the
 * packet's fixed header. Netty's decoder reads strings and property blocks by their own length fields, and for
 * packets without a payload (CONNACK, the acknowledgements, DISCONNECT, AUTH, PINGs) never checks that it read
 * exactly the remaining length, so a bad packet would leave it reading the next packet from the wrong byte (and a
 * CONNECT found there switches the encoder's MQTT version, below). Given one packet at a time, a packet whose
 * fields run past its end fails to decode, and one whose decoder leaves bytes unread is passed on as decoded and
 * followed by a decoder failure: the stream never shifts.
 *
 * <p>As soon as a fixed header announces more than the Maximum Packet Size, it passes on a decoder failure carrying
 * a {@link TooLongFrameException} (without waiting for, or buffering, the body); a remaining length in more bytes
 * than it needs or than four is a failure carrying a {@link WireViolation}. On a client's end ({@link #forClient})
 * a CONNECT is refused the same way from its first byte, with a {@link FlowException} of
 * {@link FlowError#PROTOCOL_ERROR}: only clients send CONNECT, and Netty's decoder stores a CONNECT's protocol
 * level in the channel attribute its encoder reads while it is still decoding the packet, so a broker's CONNECT
 * (even an incomplete one) would switch our encoder to another MQTT version. On a client's end it also checks every
 * MQTT 5 packet's property blocks as the broker's {@link WireCheck} does what clients send, because Netty's decoder
 * takes any known property in any packet and keeps the last of two: a property the packet may not carry is refused
 * as a Malformed Packet, one twice as a Protocol Error, both with a {@link WireViolation} (2.2.2.2). After a failure
 * everything is discarded. An MQTT 3.1.1 server's refusal of protocol level 5 (a CONNACK without properties, return
 * code 0x01, MQTT-3.1.2-2) reaches an MQTT 5 client as the CONNACK 0x84 (Unsupported Protocol Version) it means.
 * Holds at most one packet of at most the Maximum Packet Size.
 *
 * <p>Before the decoder sees an MQTT 5 packet, its property blocks are put in an order the decoder reads in full
 * ({@link NettyPropertyOrder}); a block that cannot be, or a malformed packet that walk finds, is refused the same way.
 */
public final class PacketFramer extends ByteToMessageDecoder {

  private static final int CONNECT = 1;
  private static final int CONNACK = 2;
  /** CONNACK, remaining length 2, return code 0x01: how an MQTT 3.1.1 server refuses protocol level 5. */
  private static final int V311_CONNACK_UNACCEPTABLE_LEVEL = 0x20_02_00_01;
  /**
   * Where Netty's codec keeps the connection's protocol version (MqttCodecUtil.MQTT_VERSION_KEY, package-private):
   * its decoder sets it from the CONNECT it decodes, its encoder from the CONNECT it encodes.
   */
  private static final AttributeKey<MqttVersion> NETTY_MQTT_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  private final long maximumPacketSize;
  /** A client's end: CONNECT refused, property blocks checked. */
  private final boolean clientEnd;
  private boolean refused;

  public PacketFramer(long maximumPacketSize) {
    this(maximumPacketSize, false);
  }

  private PacketFramer(long maximumPacketSize, boolean clientEnd) {
    this.maximumPacketSize = maximumPacketSize;
    this.clientEnd = clientEnd;
  }

  /** The framer of a client's end: it also refuses CONNECT and checks property blocks. */
  public static PacketFramer forClient(long maximumPacketSize) {
    return new PacketFramer(maximumPacketSize, true);
  }

  /** Netty's decoder as the framer must feed it: one packet per read, decoded once, whatever it leaves unread. */
  public static MqttDecoder decoder(int maximumPacketSize) {
    MqttDecoder decoder = new MqttDecoder(maximumPacketSize);
    decoder.setSingleDecode(true);
    return decoder;
  }

  /**
   * Sets the MQTT version Netty's codec on {@code channel} reads and writes packets with. The codec otherwise takes it
   * from a CONNECT it decodes or encodes, which a channel that only decodes what a server sends, or only encodes
   * packets after CONNECT, never sees.
   */
  public static void useVersion(Channel channel, MqttVersion version) {
    channel.attr(NETTY_MQTT_VERSION).set(version);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int from = in.readerIndex();
    if (clientEnd && in.getUnsignedByte(from) >> 4 == CONNECT) {
      refuse(in, out, new FlowException(FlowError.PROTOCOL_ERROR, "CONNECT from the broker"));
      return;
    }
    int length;
    try {
      length = WireReader.packetLength(in, from, in.readableBytes());
    } catch (WireViolation malformed) {
      refuse(in, out, malformed);
      return;
    }
    if (length < 0) {
      return; // the fixed header is not complete yet
    }
    if (length > maximumPacketSize) {
      refuse(in, out, new TooLongFrameException(
        "a packet of " + length + " bytes exceeds our Maximum Packet Size of " + maximumPacketSize));
    } else if (length <= in.readableBytes()) {
      pass(ctx, in.readRetainedSlice(length), in, out);
    }
  }

  /**
   * Hands the decoder one packet (writable, for {@link NettyPropertyOrder} to reorder in place), then refuses the
   * stream if the decoder left any of the packet's bytes. A decoder with nothing buffered decodes a contiguous
   * buffer in place (Netty's merge cumulator), so what it left unread shows in the packet's own reader index, and
   * skipping it empties the decoder's buffer.
   */
  private void pass(ChannelHandlerContext ctx, ByteBuf slice, ByteBuf in, List<Object> out) {
    ByteBuf packet = slice.isContiguous() && !slice.isReadOnly() ? slice : copy(ctx, slice);
    int firstByte = packet.getUnsignedByte(packet.readerIndex());
    int type = firstByte >> 4;
    boolean v5 = ctx.channel().attr(NETTY_MQTT_VERSION).get() == MqttVersion.MQTT_5;
    if (clientEnd && v5 && type == CONNACK && packet.readableBytes() == 4
      && packet.getInt(packet.readerIndex()) == V311_CONNACK_UNACCEPTABLE_LEVEL) {
      packet.release();
      out.add(new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION, false)));
      return;
    }
    try {
      if (clientEnd && v5) {
        PacketLayout.walk(firstByte, PacketLayout.body(packet, packet.readerIndex(), packet.readableBytes()), true,
          (body, rules) -> body.readProperties(rules));
      }
      NettyPropertyOrder.reorder(packet, packet.readerIndex(), packet.readableBytes(), v5);
    } catch (DecoderException | WireViolation unreadable) {
      packet.release();
      refuse(in, out, unreadable);
      return;
    }
    packet.retain(); // its indices are read after the decoder released it
    try {
      ctx.fireChannelRead(packet);
      if (packet.isReadable()) {
        int unread = packet.readableBytes();
        packet.skipBytes(unread); // the decoder's own buffer: it must not read them as the next packet
        refuse(in, out, new DecoderException("a packet of type " + type + " has " + unread
          + " bytes after its fields (its remaining length is too long for them)"));
      }
    } finally {
      packet.release();
    }
  }

  private static ByteBuf copy(ChannelHandlerContext ctx, ByteBuf slice) {
    try {
      return ctx.alloc().buffer(slice.readableBytes()).writeBytes(slice);
    } finally {
      slice.release();
    }
  }

  private void refuse(ByteBuf in, List<Object> out, Exception why) {
    refused = true;
    in.skipBytes(in.readableBytes());
    out.add(MqttMessageFactory.newInvalidMessage(why));
  }
}
