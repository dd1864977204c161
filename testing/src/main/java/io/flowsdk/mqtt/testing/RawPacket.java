package io.flowsdk.mqtt.testing;

import io.flowsdk.mqtt.protocol.PacketFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The bytes of one MQTT packet, valid or not. Built with {@link #v5()} or {@link #v311()}, whose builders set every
 * field and property and can break any of them; or wrapped from bytes with {@link #of(PacketType, byte[])}.
 *
 * <pre>{@code
 * RawPacket p = RawPacket.v5().publish().qos(1).packetId(7).topic("a/b").payload("x").flags(0b0110).build();
 * }</pre>
 */
public final class RawPacket {

  private final PacketType type;
  private final byte[] bytes;

  RawPacket(PacketType type, byte[] bytes) {
    this.type = type;
    this.bytes = bytes;
  }

  /** Builders for MQTT 5.0 packets (reason codes and properties written). */
  public static PacketFactory v5() {
    return new PacketFactory(true);
  }

  /** Builders for MQTT 3.1.1 packets. */
  public static PacketFactory v311() {
    return new PacketFactory(false);
  }

  /** Any bytes, labelled as a packet of {@code type}. */
  public static RawPacket of(PacketType type, byte[] bytes) {
    return new RawPacket(type, bytes.clone());
  }

  /**
   * {@code message} as Netty's encoder writes it for MQTT 5.0 ({@code v5}) or 3.1.1: a well-formed packet built with
   * Netty's {@code MqttMessageBuilders}. The message is released.
   */
  public static RawPacket encode(MqttMessage message, boolean v5) {
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    PacketFramer.useVersion(encoder, v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    try {
      encoder.writeOutbound(message);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
        out.writeBytes(ByteBufUtil.getBytes(b));
        b.release();
      }
      return new RawPacket(PacketType.values()[message.fixedHeader().messageType().value() - 1], out.toByteArray());
    } finally {
      encoder.finishAndReleaseAll();
    }
  }

  /** The packet type the builder wrote (the bytes may say otherwise). */
  public PacketType type() {
    return type;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public Buffer buffer() {
    return Buffer.buffer(bytes);
  }

  public String hex() {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  @Override
  public String toString() {
    return type + "[" + hex() + "]";
  }
}
