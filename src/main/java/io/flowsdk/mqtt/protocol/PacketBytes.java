package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.function.LongConsumer;

/**
 * Counts the MQTT bytes a socket {@link MqttSockets} set up receives and sends, right outside its codec: whole
 * packets, fixed headers included, and nothing of the WebSocket or TLS framing around them. Bytes of a packet not
 * complete yet count as they arrive.
 */
public final class PacketBytes extends ChannelDuplexHandler {

  private final LongConsumer received;
  private final LongConsumer sent;

  private PacketBytes(LongConsumer received, LongConsumer sent) {
    this.received = received;
    this.sent = sent;
  }

  /** Hands {@code received} and {@code sent} the size of each buffer {@code socket} reads and writes; returns {@code socket}. */
  public static NetSocketInternal install(NetSocketInternal socket, LongConsumer received, LongConsumer sent) {
    socket.channelHandlerContext().pipeline().addBefore(MqttSockets.ENCODER, "flowsdk.packetBytes", new PacketBytes(received, sent));
    return socket;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      received.accept(bytes.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf bytes) {
      sent.accept(bytes.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
