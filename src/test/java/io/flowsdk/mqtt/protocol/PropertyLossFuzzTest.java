package io.flowsdk.mqtt.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.mqtt.testing.PacketType;
import io.flowsdk.mqtt.testing.RawPacket;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target, differential: a valid MQTT 5 packet of any type with properties of every kind ({@link RandomPacket},
 * encoded by the toolkit's {@link RawPacket}, not by Netty), decoded by the path every socket of ours decodes with
 * ({@link PacketFramer} before Netty's decoder), must come out with every field and property the model holds. A
 * property Netty's decoder skips (see {@link NettyPropertyOrder}) shows as a missing line, its bytes as a wrong field
 * after the block; the symmetry target cannot see that, since the loss is the same on every decoding.
 */
class PropertyLossFuzzTest {

  private static final int MAX = 268_435_455;

  @FuzzTest
  void givenAnyValidPacketWithProperties_whenFramedAndDecoded_thenEveryFieldAndPropertyIsTheModels(byte[] data) {
    RandomPacket model = RandomPacket.from(data);

    List<String> decoded = decodedByOurPath(model.packet());

    assertEquals(model.expected(), decoded, () -> model.packet().hex());
  }

  /** The packet as the framer and Netty's decoder of a socket of ours read it, the codec set to MQTT 5 by a CONNECT. */
  private static List<String> decodedByOurPath(RawPacket packet) {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(MAX), PacketFramer.decoder(MAX));
    try {
      if (packet.type() != PacketType.CONNECT) {
        ch.writeInbound(Unpooled.wrappedBuffer(RawPacket.v5().connect().build().bytes()));
        ReferenceCountUtil.release(ch.readInbound());
      }
      ch.writeInbound(Unpooled.wrappedBuffer(packet.bytes()));
      MqttMessage m = ch.readInbound();
      try {
        assertTrue(m.decoderResult().isSuccess(), () -> packet.hex() + ": " + m.decoderResult());
        assertNull(ch.readInbound(), "one packet decoded");
        return DecodedFields.of(m);
      } finally {
        ReferenceCountUtil.release(m);
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
