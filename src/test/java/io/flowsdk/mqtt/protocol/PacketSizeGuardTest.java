package io.flowsdk.mqtt.protocol;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketSizeGuardTest {

  static ByteBuf bytes(int... values) {
    ByteBuf b = Unpooled.buffer();
    for (int v : values) {
      b.writeByte(v);
    }
    return b;
  }

  static byte[] drain(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    Object o;
    while ((o = ch.readInbound()) != null) {
      if (o instanceof ByteBuf) {
        all.writeBytes((ByteBuf) o);
        ((ByteBuf) o).release();
      } else {
        throw new AssertionError("unexpected " + o);
      }
    }
    byte[] out = new byte[all.readableBytes()];
    all.readBytes(out);
    return out;
  }

  @Test
  void givenPacketsWithinTheLimitSplitAcrossChunks_whenRead_thenTheBytesPassUnchanged() {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketSizeGuard(10));
    // PINGRESP, then a PUBACK whose header and body straddle chunks
    ch.writeInbound(bytes(0xD0, 0x00, 0x40));
    ch.writeInbound(bytes(0x02, 0x00));
    ch.writeInbound(bytes(0x07));

    assertEquals(6, drain(ch).length);
  }

  @Test
  void givenAHeaderAnnouncingMoreThanTheLimit_whenRead_thenEarlierBytesPassAndAFailureFollowsAtOnce() {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketSizeGuard(100));
    // a PINGRESP, then a PUBLISH header announcing 10 MB with no body yet
    ch.writeInbound(bytes(0xD0, 0x00, 0x30, 0x80, 0xAD, 0xE2, 0x04));

    ByteBuf first = ch.readInbound();
    assertEquals(2, first.readableBytes());
    first.release();
    MqttMessage failure = ch.readInbound();
    assertTrue(failure.decoderResult().isFailure());
    assertInstanceOf(TooLongFrameException.class, failure.decoderResult().cause());
    ch.writeInbound(bytes(0x01, 0x02, 0x03));
    assertNull(ch.readInbound(), "everything after is discarded");
  }

  @Test
  void givenTheGuardBeforeNettysDecoder_whenAPacketIsExactlyAtTheLimit_thenItIsDecoded() {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketSizeGuard(4), new io.netty.handler.codec.mqtt.MqttDecoder(4));
    ch.writeInbound(bytes(0xD0, 0x00));

    MqttMessage ping = ch.readInbound();

    assertEquals(MqttMessageType.PINGRESP, ping.fixedHeader().messageType());
  }

  @Test
  void givenAClientsGuard_whenACONNECTStarts_thenEarlierBytesPassAndAProtocolErrorFollowsAtItsFirstByte() {
    EmbeddedChannel ch = new EmbeddedChannel(PacketSizeGuard.forClient(100));
    ch.writeInbound(bytes(0xD0, 0x00, 0x10));

    ByteBuf first = ch.readInbound();
    assertEquals(2, first.readableBytes());
    first.release();
    MqttMessage failure = ch.readInbound();
    FlowException cause = assertInstanceOf(FlowException.class, failure.decoderResult().cause());
    assertEquals(FlowError.PROTOCOL_ERROR, cause.error());
  }

  @Test
  void givenABrokersGuard_whenACONNECTArrives_thenItPassesUnchanged() {
    EmbeddedChannel ch = new EmbeddedChannel(new PacketSizeGuard(100));
    ch.writeInbound(bytes(0x10, 0x00));

    assertEquals(2, drain(ch).length);
  }
}
