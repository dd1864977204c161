package io.flowsdk.mqtt.client.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: encode/decode symmetry of the client's MQTT 5 codec. Whatever packet the decoder accepts and the
 * encoder can write, encoding it gives bytes that decode and encode to the very same bytes, for every packet type.
 *
 * <p>Netty's decoder accepts SUBACK reason codes its encoder cannot write (an {@code EncoderException} wrapping a
 * NullPointerException: input {@code crash-suback-unknown-reason-code}); the client only decodes SUBACKs, so such a
 * packet ends the comparison instead of failing it.
 *
 * <p>A CONNECT in the input ends the decoding like any decoder failure: the client's codec refuses a broker's CONNECT
 * from its first byte (a protocol error, {@code PacketFramer.forClient}), because Netty's decoder stores its
 * protocol level where the encoder reads the version, even for an incomplete CONNECT; input
 * {@code crash-015ece00f67bbd7dcc6bf2852475562050563ac6}, a v5 PUBLISH then the start of an MQTT 3.1.1 CONNECT, once
 * had the PUBLISH re-encoded without its properties. Input {@code crash-bytes-after-the-fields-of-a-disconnect} hid
 * such a CONNECT in the unread tail of a DISCONNECT, where Netty's decoder, reading on from the wrong byte, found it;
 * the framer now hands the decoder one packet at a time and refuses a tail it leaves unread.
 *
 * <p>The framer moves the short properties at the end of a block of 128 bytes or more to its front
 * ({@code NettyPropertyOrder}), and Netty's encoder writes properties in the order they were decoded, so a second
 * encoding may hold the first's properties in another order (inputs {@code finding-subscription-identifiers-reordered-once},
 * {@code finding-properties-reordered-once}); their order carries no meaning but for User Properties, which are never
 * moved. So the second encoding is the first's length and bytes, the properties of a block perhaps in another order:
 * a property lost, gained or changed still fails it.
 *
 * <p>Input {@code crash-connack-with-repeated-and-foreign-properties}, a CONNACK of Subscription Identifiers and
 * Maximum QoS many times over, decoded once (Netty keeps the last of each) and then encoded shorter, into a block of
 * short properties only, which the framer refuses; the client's framer now refuses a property a packet may not carry,
 * or one twice, as the broker's {@code WireCheck} does (2.2.2.2).
 */
class PacketSymmetryFuzzTest {

  @FuzzTest
  void givenAnyDecodablePacket_whenEncodedDecodedAndEncodedAgain_thenTheBytesAreTheSame(byte[] data) {
    Buffer once = reencode(Buffer.buffer(data));
    Buffer twice = reencode(once);

    assertEquals(once.length(), twice.length(), "decoding our own encoding lost or gained nothing");
    assertArrayEquals(sorted(once), sorted(twice), "the same bytes, up to properties moved within their blocks");
  }

  private static byte[] sorted(Buffer bytes) {
    byte[] b = bytes.getBytes();
    Arrays.sort(b);
    return b;
  }

  /** The encoding of every packet decoded from {@code bytes}, up to the first the decoder rejects. */
  private static Buffer reencode(Buffer bytes) {
    MqttFraming framing = new MqttFraming(64 * 1024);
    try {
      framing.encode(Packets.connect(new MqttClientOptions(), true, null, null)); // the codec learns MQTT 5
      List<MqttMessage> packets = new ArrayList<>();
      boolean[] rejected = {false};
      framing.decode(bytes, m -> {
        rejected[0] |= !m.decoderResult().isSuccess();
        if (!rejected[0]) {
          packets.add(retained(m));
        }
      });
      Buffer out = Buffer.buffer();
      for (int i = 0; i < packets.size(); i++) {
        try {
          out.appendBuffer(framing.encode(packets.get(i)));
        } catch (EncoderException refused) {
          packets.subList(i + 1, packets.size()).forEach(ReferenceCountUtil::release);
          break;
        }
      }
      return out;
    } finally {
      framing.close();
    }
  }

  /** The decoder's message is released after the callback: keep the payload. */
  private static MqttMessage retained(MqttMessage m) {
    if (m.payload() instanceof io.netty.buffer.ByteBuf) {
      ((io.netty.buffer.ByteBuf) m.payload()).retain();
    }
    return m;
  }
}
