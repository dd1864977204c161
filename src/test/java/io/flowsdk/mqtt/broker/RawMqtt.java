package io.flowsdk.mqtt.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw TCP connection to the broker for packets no well-behaved client sends: bytes as given, or
 * packets encoded by Netty's codec; what comes back is decoded with Netty's decoder.
 */
final class RawMqtt implements AutoCloseable {

  private final Socket socket;
  private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private final MqttVersion version;

  RawMqtt(int port, MqttVersion version) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    this.version = version;
    setVersion(encoder);
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** A minimal CONNECT with clean start, keep-alive 60 and {@code clientId} (3.1.1: level 4, 5: level 5). */
  static byte[] connect(String clientId, MqttVersion version) {
    return connect(clientId, version, true, 0);
  }

  /**
   * A CONNECT of {@code clientId}; {@code sessionExpiry} goes in the MQTT 5 properties (3.1.1 keeps
   * the session when {@code cleanStart} is false).
   */
  static byte[] connect(String clientId, MqttVersion version, boolean cleanStart, int sessionExpiry) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(bytes(0, 4, 'M', 'Q', 'T', 'T', version.protocolLevel(), cleanStart ? 0x02 : 0x00, 0, 60));
    if (version == MqttVersion.MQTT_5) {
      body.writeBytes(sessionExpiry == 0 ? bytes(0)
        : bytes(5, 0x11, sessionExpiry >>> 24, (sessionExpiry >>> 16) & 0xFF, (sessionExpiry >>> 8) & 0xFF, sessionExpiry & 0xFF));
    }
    body.writeBytes(bytes(0, clientId.length()));
    body.writeBytes(clientId.getBytes());
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    packet.write(body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  RawMqtt send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  RawMqtt send(MqttMessage message) throws IOException {
    encoder.writeOutbound(message);
    for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      b.release();
      send(out);
    }
    return this;
  }

  /** Reads until the broker closes the connection (at most 10 s) and decodes what it sent. */
  List<MqttMessage> readUntilClosed() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[4096];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        all.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the broker did not close the connection within 10 s; it sent " + decode(all.toByteArray()));
    } catch (IOException reset) {
      // a reset is a close too
    }
    return decode(all.toByteArray());
  }

  /** Reads one packet's worth of bytes (waits for the first byte) and decodes it. */
  MqttMessage readPacket() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(in.read());
    int length = 0;
    int multiplier = 1;
    int b;
    do {
      b = in.read();
      packet.write(b);
      length += (b & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((b & 0x80) != 0);
    packet.writeBytes(in.readNBytes(length));
    return decode(packet.toByteArray()).get(0);
  }

  /** Where Netty's codec keeps a channel's protocol version (MqttCodecUtil is package-private). */
  private void setVersion(EmbeddedChannel channel) {
    channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
  }

  private List<MqttMessage> decode(byte[] bytes) {
    EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
    setVersion(decoder);
    decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<MqttMessage> messages = new ArrayList<>();
    for (Object m; (m = decoder.readInbound()) != null; ) {
      messages.add((MqttMessage) m);
    }
    return messages;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    encoder.finishAndReleaseAll();
  }
}
