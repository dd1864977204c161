package io.flowsdk.mqtt.protocol;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketFramerTest {

  static ByteBuf bytes(int... values) {
    ByteBuf b = Unpooled.buffer();
    for (int v : values) {
      b.writeByte(v);
    }
    return b;
  }

  /** Encoder, framer and decoder as a client's socket has them, the encoder set to MQTT 5 by a CONNECT. */
  private static EmbeddedChannel clientCodec(int maximumPacketSize) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE, PacketFramer.forClient(maximumPacketSize),
      PacketFramer.decoder(maximumPacketSize));
    ch.writeOutbound(MqttMessageBuilders.connect().clientId("c").protocolVersion(MqttVersion.MQTT_5).build());
    ((ByteBuf) ch.readOutbound()).release();
    return ch;
  }

  private static EmbeddedChannel brokerCodec(int maximumPacketSize) {
    return new EmbeddedChannel(new PacketFramer(maximumPacketSize), PacketFramer.decoder(maximumPacketSize));
  }

  private static List<MqttMessage> decoded(EmbeddedChannel ch) {
    List<MqttMessage> packets = new ArrayList<>();
    MqttMessage m;
    while ((m = ch.readInbound()) != null) {
      packets.add(m);
    }
    return packets;
  }

  private static MqttMessageType type(MqttMessage m) {
    return m.fixedHeader() == null ? null : m.fixedHeader().messageType();
  }

  @Test
  void givenPacketsWithinTheLimitSplitAcrossChunks_whenRead_thenEachIsDecoded() {
    EmbeddedChannel ch = brokerCodec(10);
    // PINGREQ, then a PUBACK whose header and body straddle chunks
    ch.writeInbound(bytes(0xC0, 0x00, 0x40));
    ch.writeInbound(bytes(0x02, 0x00));
    ch.writeInbound(bytes(0x07));

    List<MqttMessage> packets = decoded(ch);

    assertEquals(List.of(MqttMessageType.PINGREQ, MqttMessageType.PUBACK), packets.stream().map(PacketFramerTest::type).toList());
    assertTrue(packets.stream().allMatch(m -> m.decoderResult().isSuccess()));
  }

  @Test
  void givenAHeaderAnnouncingMoreThanTheLimit_whenRead_thenEarlierPacketsPassAndAFailureFollowsAtOnce() {
    EmbeddedChannel ch = brokerCodec(100);
    // a PINGREQ, then a PUBLISH header announcing 10 MB with no body yet
    ch.writeInbound(bytes(0xC0, 0x00, 0x30, 0x80, 0xAD, 0xE2, 0x04));

    List<MqttMessage> packets = decoded(ch);
    assertEquals(MqttMessageType.PINGREQ, type(packets.get(0)));
    assertInstanceOf(TooLongFrameException.class, packets.get(1).decoderResult().cause());
    ch.writeInbound(bytes(0xC0, 0x00));
    assertEquals(2, packets.size() + decoded(ch).size(), "everything after is discarded");
  }

  @Test
  void givenAPacketExactlyAtTheLimit_whenRead_thenItIsDecoded() {
    EmbeddedChannel ch = brokerCodec(4);
    ch.writeInbound(bytes(0x40, 0x02, 0x00, 0x07));

    assertEquals(MqttMessageType.PUBACK, type(decoded(ch).get(0)));
  }

  @Test
  void givenARemainingLengthInMoreBytesThanItNeeds_whenRead_thenItIsAMalformedPacket() {
    EmbeddedChannel ch = brokerCodec(100);
    ch.writeInbound(bytes(0xC0, 0x80, 0x00));

    WireViolation cause = assertInstanceOf(WireViolation.class, decoded(ch).get(0).decoderResult().cause());
    assertEquals(WireViolation.MALFORMED_PACKET, cause.reasonCode());
  }

  @Test
  void givenAClientsFramer_whenACONNECTStarts_thenEarlierPacketsPassAndAProtocolErrorFollowsAtItsFirstByte() {
    EmbeddedChannel ch = clientCodec(100);
    ch.writeInbound(bytes(0xD0, 0x00, 0x10));

    List<MqttMessage> packets = decoded(ch);
    assertEquals(MqttMessageType.PINGRESP, type(packets.get(0)));
    FlowException cause = assertInstanceOf(FlowException.class, packets.get(1).decoderResult().cause());
    assertEquals(FlowError.PROTOCOL_ERROR, cause.error());
  }

  @Test
  void givenABrokersFramer_whenACONNECTArrives_thenItIsDecoded() {
    EmbeddedChannel ch = brokerCodec(100);
    ch.writeInbound(bytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 'c'));

    MqttMessage connect = decoded(ch).get(0);
    assertEquals(MqttMessageType.CONNECT, type(connect));
    assertTrue(connect.decoderResult().isSuccess());
  }

  @Test
  void givenAPacketWithBytesItsDecoderDoesNotRead_whenRead_thenAFailureFollowsItAndTheBytesAreNotReadAsTheNextPacket() {
    EmbeddedChannel ch = clientCodec(100);
    // a DISCONNECT whose remaining length holds two more bytes than its fields: the start of a 3.1.1 CONNECT,
    // whose rest follows, as the next "packet" a decoder reading on from the wrong byte would find
    ch.writeInbound(bytes(0xE0, 0x04, 0x00, 0x00, 0x10, 0x0C,
      0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00));

    List<MqttMessage> packets = decoded(ch);
    assertEquals(2, packets.size());
    assertEquals(MqttMessageType.DISCONNECT, type(packets.get(0)));
    DecoderException cause = assertInstanceOf(DecoderException.class, packets.get(1).decoderResult().cause());
    assertEquals("a packet of type 14 has 2 bytes after its fields (its remaining length is too long for them)", cause.getMessage());
    ch.writeOutbound(MqttMessageBuilders.pubAck().packetId(1).reasonCode((byte) 0x10).build());
    ByteBuf puback = ch.readOutbound();
    assertEquals(6, puback.readableBytes(), "the encoder still writes MQTT 5 (reason code and properties)");
    puback.release();
  }

  @Test
  void givenAPacketWhoseFieldsRunPastItsEnd_whenRead_thenItFailsAndTheNextPacketIsNotReadIntoIt() {
    EmbeddedChannel ch = clientCodec(100);
    // a PUBACK announcing 5 bytes of properties it does not hold, then a PINGRESP
    ch.writeInbound(bytes(0x40, 0x04, 0x00, 0x01, 0x00, 0x05, 0xD0, 0x00));

    List<MqttMessage> packets = decoded(ch);
    assertEquals(1, packets.size());
    assertTrue(packets.get(0).decoderResult().isFailure());
  }
}
