package io.flowsdk.mqtt.testing;

import io.flowsdk.mqtt.protocol.PacketFramer;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a byte stream as our MQTT client does, except that a CONNECT is decoded too: {@link PacketFramer} cuts
 * packets by their fixed headers (and puts MQTT 5 property blocks in an order Netty's decoder reads in full), then
 * Netty's MQTT decoder decodes each. Packets may span chunks and a chunk may hold several. A packet that is refused
 * comes out with a failed {@link MqttMessage#decoderResult()}, as does a packet whose fields end before its remaining
 * length does (after the packet decoded from them); after a failure every further byte is discarded. PUBLISH payloads
 * are copied onto the heap, so nothing returned needs releasing. Single-threaded.
 */
public final class PacketDecoder {

  private final EmbeddedChannel channel;

  /** A decoder for packets of MQTT 5.0 ({@code v5}) or 3.1.1, up to {@code maximumPacketSize} bytes. */
  public PacketDecoder(boolean v5, int maximumPacketSize) {
    channel = new EmbeddedChannel(new PacketFramer(maximumPacketSize), PacketFramer.decoder(maximumPacketSize));
    PacketFramer.useVersion(channel, v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
  }

  /** Decodes every packet completed by {@code bytes}. */
  public List<MqttMessage> decode(Buffer bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
    List<MqttMessage> packets = new ArrayList<>();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      packets.add(onHeap((MqttMessage) msg));
    }
    return packets;
  }

  /** Decodes the packets in {@code bytes} with a fresh decoder. */
  public static List<MqttMessage> decodeAll(boolean v5, byte[] bytes) {
    PacketDecoder decoder = new PacketDecoder(v5, 268_435_460);
    try {
      return decoder.decode(Buffer.buffer(bytes));
    } finally {
      decoder.close();
    }
  }

  public void close() {
    channel.finishAndReleaseAll();
  }

  private static MqttMessage onHeap(MqttMessage msg) {
    if (msg instanceof MqttPublishMessage) {
      MqttPublishMessage publish = (MqttPublishMessage) msg;
      MqttPublishMessage copy = publish.replace(Unpooled.copiedBuffer(publish.payload()));
      publish.release();
      return copy;
    }
    return msg;
  }
}
