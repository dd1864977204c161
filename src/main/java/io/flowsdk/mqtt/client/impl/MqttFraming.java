package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.PacketFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Netty's MQTT encoder and decoder for a byte stream that does not live in a Netty pipeline of its
 * own (the payload of WebSocket binary messages). Packets may span messages and a message may hold
 * several packets; the decoder reassembles them. Single-threaded, like the connection it serves.
 */
final class MqttFraming {

  private final EmbeddedChannel codec;

  MqttFraming(int maximumPacketSize) {
    codec = new EmbeddedChannel(MqttEncoder.INSTANCE, PacketFramer.forClient(maximumPacketSize),
      PacketFramer.decoder(maximumPacketSize));
  }

  /** The bytes of one packet. */
  Buffer encode(MqttMessage packet) {
    codec.writeOutbound(packet);
    Buffer out = Buffer.buffer();
    ByteBuf chunk;
    while ((chunk = codec.readOutbound()) != null) {
      out.appendBytes(ByteBufUtil.getBytes(chunk));
      chunk.release();
    }
    return out;
  }

  /** Feeds received bytes; every complete packet (or decoder failure) goes to {@code packets}, then is released. */
  void decode(Buffer bytes, Consumer<MqttMessage> packets) {
    codec.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
    Object msg;
    while ((msg = codec.readInbound()) != null) {
      try {
        packets.accept((MqttMessage) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  void close() {
    codec.finishAndReleaseAll();
  }
}
