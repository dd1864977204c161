package io.flowsdk.mqtt.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty's MQTT decoder over a byte stream: packets may span chunks and a chunk may hold several. A packet the decoder
 * rejects comes out with a failed {@link MqttMessage#decoderResult()}. PUBLISH payloads are copied onto the heap, so
 * nothing returned needs releasing. Single-threaded.
 */
public final class PacketDecoder {

  /**
   * Netty keeps the protocol version, which decides how packets after CONNECT are read, in this channel attribute
   * (MqttCodecUtil.MQTT_VERSION_KEY, package-private); a client-side decoder never sees the CONNECT that would set it.
   */
  private static final AttributeKey<MqttVersion> NETTY_MQTT_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  private final EmbeddedChannel channel;

  /** A decoder for packets of MQTT 5.0 ({@code v5}) or 3.1.1, up to {@code maximumPacketSize} bytes. */
  public PacketDecoder(boolean v5, int maximumPacketSize) {
    channel = new EmbeddedChannel(new MqttDecoder(maximumPacketSize));
    setVersion(channel, v5);
  }

  /** Sets the protocol version Netty's codec in {@code channel} reads and writes. */
  static void setVersion(EmbeddedChannel channel, boolean v5) {
    channel.attr(NETTY_MQTT_VERSION).set(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
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
