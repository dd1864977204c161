package io.flowsdk.mqtt.protocol;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * Puts Netty's MQTT codec into a Vert.x socket's pipeline, so that the socket's message handler receives
 * decoded {@code MqttMessage}s (which it must release) and {@code writeMessage} takes packets. Works for
 * both ends: the decoder learns the protocol version from the CONNECT it decodes (a server) and the
 * encoder from the CONNECT it encodes (a client). Shared by the MQTT client and the protocol relay; the broker,
 * whose codec vertx-mqtt installs, has its decoder fed by a {@link PacketFramer} too ({@link #frame}).
 */
public final class MqttSockets {

  /** The pipeline name of Netty's encoder. */
  static final String ENCODER = "mqttEncoder";
  /** The pipeline name of the {@link PacketFramer}. */
  static final String FRAMER = "mqttFramer";
  /** The pipeline name of Netty's decoder, the one vertx-mqtt gives it. */
  private static final String DECODER = "mqttDecoder";

  private MqttSockets() {
  }

  /** Installs encoder, {@link PacketFramer} and decoder, refusing packets over {@code maximumPacketSize} bytes. */
  public static NetSocketInternal install(NetSocketInternal socket, int maximumPacketSize) {
    return install(socket, new PacketFramer(maximumPacketSize), maximumPacketSize);
  }

  /** {@link #install} for a client's end, which also refuses CONNECT ({@link PacketFramer#forClient}). */
  public static NetSocketInternal installClient(NetSocketInternal socket, int maximumPacketSize) {
    return install(socket, PacketFramer.forClient(maximumPacketSize), maximumPacketSize);
  }

  /**
   * Puts a {@link PacketFramer} of a server's end in front of the Netty decoder vertx-mqtt's server installed as
   * "mqttDecoder" (keeping that decoder's own settings, such as its client identifier limit), and makes the decoder
   * decode once per read as {@link PacketFramer#decoder} does.
   */
  public static void frame(ChannelPipeline pipeline, int maximumPacketSize) {
    ((MqttDecoder) pipeline.get(DECODER)).setSingleDecode(true);
    pipeline.addBefore(DECODER, FRAMER, new PacketFramer(maximumPacketSize));
  }

  private static NetSocketInternal install(NetSocketInternal socket, PacketFramer framer, int maximumPacketSize) {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", ENCODER, MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", FRAMER, framer);
    pipeline.addBefore("handler", DECODER, PacketFramer.decoder(maximumPacketSize));
    return socket;
  }
}
