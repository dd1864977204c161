package io.flowsdk.relay.impl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.List;

/**
 * MQTT over WebSocket on an edge listener: Netty's HTTP codec and WebSocket server handler (path
 * {@code /mqtt}, subprotocol {@code mqtt}; it answers pings and closes) put in front of where the MQTT
 * codec goes, and binary frames turned into bytes and back. Install before {@code MqttSockets.install}.
 */
final class EdgeWebSocket {

  /** The upgrade request carries no body; its headers fit in this. */
  private static final int MAX_UPGRADE_REQUEST = 8192;

  private EdgeWebSocket() {
  }

  static void install(NetSocketInternal socket, int maxPacketSize) {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "httpCodec", new HttpServerCodec());
    pipeline.addBefore("handler", "httpAggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
    pipeline.addBefore("handler", "webSocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
      .websocketPath("/mqtt").subprotocols("mqtt").maxFramePayloadLength(maxPacketSize).build()));
    pipeline.addBefore("handler", "webSocketFrames", new BinaryFrames());
  }

  /** A binary frame (or its continuation) is MQTT bytes; any other data frame closes the connection, as MQTT says. */
  private static final class BinaryFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
      out.add(new BinaryWebSocketFrame(bytes.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
      if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
        out.add(frame.content().retain());
      } else {
        ctx.close();
      }
    }
  }
}
