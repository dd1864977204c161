package io.flowsdk.mqtt.protocol;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * Puts Netty's MQTT codec into a Vert.x socket's pipeline, so that the socket's message handler receives
 * decoded {@code MqttMessage}s (which it must release) and {@code writeMessage} takes packets. Works for
 * both ends: the decoder learns the protocol version from the CONNECT it decodes (a server) and the
 * encoder from the CONNECT it encodes (a client). Shared by the MQTT client and the protocol relay.
 */
public final class MqttSockets {

  /** The pipeline name of the {@link PacketFramer}. */
  static final String FRAMER = "mqttFramer";

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

  private static NetSocketInternal install(NetSocketInternal socket, PacketFramer framer, int maximumPacketSize) {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", FRAMER, framer);
    pipeline.addBefore("handler", "mqttDecoder", PacketFramer.decoder(maximumPacketSize));
    return socket;
  }
}
