package io.flowsdk.mqtt.protocol;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits before Netty's {@code MqttDecoder} and reads only fixed headers: as soon as a packet's
 * header announces more than the Maximum Packet Size, it passes on a decoder failure carrying a
 * {@link TooLongFrameException} and discards everything after, so an oversize packet is refused
 * without waiting for (and buffering) its body. Everything before it flows through unchanged.
 *
 * <p>On a client's end ({@link #forClient}) it refuses a CONNECT the same way, from its first byte, with a
 * {@link FlowException} of {@link FlowError#PROTOCOL_ERROR}: only clients send CONNECT, and Netty's decoder
 * stores a CONNECT's protocol level in the channel attribute its encoder reads while it is still decoding the
 * packet, so a broker's CONNECT (even an incomplete one) would switch our encoder to another MQTT version.
 */
public final class PacketSizeGuard extends ChannelInboundHandlerAdapter {

  private static final int CONNECT = 1;

  private final long maximumPacketSize;
  private final boolean refuseConnect;
  /** Body bytes of the current packet still to pass, or -1 while reading a fixed header. */
  private long bodyLeft = -1;
  private int headerBytes;
  private long remainingLength;
  private int multiplier = 1;
  private boolean refused;

  public PacketSizeGuard(long maximumPacketSize) {
    this(maximumPacketSize, false);
  }

  private PacketSizeGuard(long maximumPacketSize, boolean refuseConnect) {
    this.maximumPacketSize = maximumPacketSize;
    this.refuseConnect = refuseConnect;
  }

  /** The guard of a client's end: it also refuses CONNECT. */
  public static PacketSizeGuard forClient(long maximumPacketSize) {
    return new PacketSizeGuard(maximumPacketSize, true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ByteBuf buf = (ByteBuf) msg;
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    int pos = start;
    int packetStart = start;
    while (pos < end) {
      if (bodyLeft > 0) {
        long step = Math.min(bodyLeft, end - pos);
        pos += (int) step;
        bodyLeft -= step;
        continue;
      }
      if (bodyLeft == 0) {
        bodyLeft = -1;
      }
      if (headerBytes == 0) {
        packetStart = pos;
        remainingLength = 0;
        multiplier = 1;
      }
      int b = buf.getByte(pos++) & 0xFF;
      headerBytes++;
      if (headerBytes == 1) {
        if (refuseConnect && b >> 4 == CONNECT) {
          refuse(ctx, buf, start, packetStart, new FlowException(FlowError.PROTOCOL_ERROR, "CONNECT from the broker"));
          return;
        }
        continue; // packet type and flags
      }
      remainingLength += (long) (b & 0x7F) * multiplier;
      multiplier *= 128;
      if ((b & 0x80) != 0 && headerBytes < 5) {
        continue;
      }
      long total = headerBytes + remainingLength;
      headerBytes = 0;
      if (total > maximumPacketSize) {
        refuse(ctx, buf, start, packetStart, new TooLongFrameException(
          "a packet of " + total + " bytes exceeds our Maximum Packet Size of " + maximumPacketSize));
        return;
      }
      bodyLeft = remainingLength;
    }
    if (bodyLeft == 0) {
      bodyLeft = -1;
    }
    ctx.fireChannelRead(buf);
  }

  /** Passes on the bytes before the refused packet, then the decoder failure; discards everything after. */
  private void refuse(ChannelHandlerContext ctx, ByteBuf buf, int start, int packetStart, Exception why) {
    refused = true;
    if (packetStart > start) {
      ctx.fireChannelRead(buf.retainedSlice(start, packetStart - start));
    }
    buf.release();
    ctx.fireChannelRead(MqttMessageFactory.newInvalidMessage(why));
  }
}
