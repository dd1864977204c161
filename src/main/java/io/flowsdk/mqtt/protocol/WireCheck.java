package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What a client's bytes break that Netty's decoder lets through, checked in front of it from the first byte on:
 * CONNECT flags (Will QoS or Will Retain without the Will Flag, a Will QoS of 3, a 3.1.1 password without a user
 * name, a User Name Flag without a user name), ill-formed UTF-8 in any string, MQTT 5 properties a packet may not
 * carry or carries twice, reserved bits of subscription options, a remaining length in more bytes than it needs,
 * packets only servers send, and AUTH without an Authentication Method.
 *
 * <p>Whole packets that pass go on to the decoder unchanged. A bad CONNECT is answered here (MQTT 5: CONNACK with
 * the reason) and the connection closed, its reason code handed to the {@code refusedConnect} counter. A bad
 * packet after the CONNECT goes on as the {@link WireViolation} itself, in order behind the packets before it, for
 * the server's handler to close the connection with (MQTT 5: DISCONNECT with the reason); what follows it is
 * discarded. Shared by the broker and the relay edge, which must refuse what the broker would.
 */
public final class WireCheck extends ByteToMessageDecoder {

  private enum State { AWAIT_CONNECT, CHECKING, PASS_THROUGH, DISCARDING }

  private final IntConsumer refusedConnect;
  private final int maxPacketBytes;
  private final PacketLayout.Blocks checkProperties = this::checkProperties;
  private State state = State.AWAIT_CONNECT;
  private boolean v5;
  private boolean authenticationMethod;

  private WireCheck(int maxPacketBytes, IntConsumer refusedConnect) {
    this.refusedConnect = refusedConnect;
    this.maxPacketBytes = maxPacketBytes;
  }

  /**
   * Puts a check in front of the {@link PacketFramer} that feeds Netty's decoder in a pipeline {@link MqttSockets}
   * set up or framed: the framer must stay right before the decoder, to see what the decoder leaves of each packet.
   * {@code refusedConnect} hears the reason code of each CONNECT it refuses.
   */
  public static void install(ChannelPipeline pipeline, int maxPacketBytes, IntConsumer refusedConnect) {
    pipeline.addBefore(MqttSockets.FRAMER, "flowsdk.wireCheck", new WireCheck(maxPacketBytes, refusedConnect));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int pos = start;
    try {
      while (state == State.AWAIT_CONNECT || state == State.CHECKING) {
        int length = WireReader.packetLength(in, pos, in.writerIndex() - pos);
        if (length > maxPacketBytes) { // the framer refuses it from its fixed header
          state = State.PASS_THROUGH;
        } else if (length < 0 || length > in.writerIndex() - pos) {
          break;
        } else {
          check(in, pos, length);
          pos += length;
        }
      }
    } catch (WireViolation v) {
      if (state == State.AWAIT_CONNECT) {
        refuseConnect(ctx, v);
      } else {
        if (pos > start) {
          out.add(in.readRetainedSlice(pos - start));
        }
        out.add(v);
      }
      state = State.DISCARDING;
    }
    if (state == State.PASS_THROUGH) {
      pos = in.writerIndex();
    }
    if (state == State.DISCARDING) {
      in.skipBytes(in.readableBytes());
    } else if (pos > start) {
      out.add(in.readRetainedSlice(pos - start));
    }
  }

  private void check(ByteBuf in, int pos, int length) {
    int firstByte = in.getUnsignedByte(pos);
    int type = firstByte >> 4;
    WireReader body = PacketLayout.body(in, pos, length);
    if (state == State.AWAIT_CONNECT) {
      connect(type, in, pos, length, body);
      return;
    }
    if (type == 2 || type == 9 || type == 11 || type == 13) {
      throw new WireViolation(WireViolation.PROTOCOL_ERROR,
        "a packet of type " + type + " flows from server to client only (2.1.2)");
    }
    if (type == PacketLayout.PUBLISH && (firstByte >> 1 & 3) == 3) {
      return; // the decoder refuses it
    }
    if (type == PacketLayout.AUTH && v5 && !authenticationMethod) {
      throw new WireViolation(WireViolation.PROTOCOL_ERROR, "an AUTH without an Authentication Method in the CONNECT (4.12)");
    }
    PacketLayout.walk(firstByte, body, v5, checkProperties);
    if (type == PacketLayout.SUBSCRIBE) {
      subscriptions(body);
    } else if (type == PacketLayout.UNSUBSCRIBE) {
      while (body.hasMore()) {
        body.readString("a topic filter");
      }
    }
  }

  /** Checks a property block; the CONNECT's tells whether the client may send AUTH. */
  private void checkProperties(WireReader body, PropertyRules packet) {
    long seen = body.readProperties(packet);
    if (packet == PropertyRules.CONNECT) {
      authenticationMethod = (seen & (1L << PropertyRules.AUTHENTICATION_METHOD)) != 0;
    }
  }

  /** MQTT 3.1.1 or 5: checked; anything else (no CONNECT first, another protocol) the server refuses itself. */
  private void connect(int type, ByteBuf in, int pos, int length, WireReader body) {
    if (type != PacketLayout.CONNECT || body.left() >= 7 && !isMqtt(in, body.position())) {
      state = State.PASS_THROUGH;
      return;
    }
    WireReader header = PacketLayout.body(in, pos, length); // the flags are checked before the properties are read
    header.skip(6, "the protocol name");
    v5 = header.readByte() == 5;
    int flags = header.readByte();
    boolean will = (flags & 0x04) != 0;
    int willQos = (flags >> 3) & 3;
    boolean password = (flags & 0x40) != 0;
    boolean username = (flags & 0x80) != 0;
    if (!will && (willQos != 0 || (flags & 0x20) != 0)) {
      throw malformed("without the Will Flag, Will QoS and Will Retain must be 0 (" + (v5 ? "MQTT-3.1.2-11, -13)" : "MQTT-3.1.2-13, -15)"));
    }
    if (willQos == 3) {
      throw malformed("a Will QoS of 3 (" + (v5 ? "MQTT-3.1.2-12)" : "MQTT-3.1.2-14)"));
    }
    if (!v5 && password && !username) {
      throw malformed("a password without a user name (MQTT-3.1.2-22)");
    }
    PacketLayout.walk(type << 4, body, v5, checkProperties);
    if (will) {
      body.readString("the will topic");
      body.readBinary("the will payload");
    }
    if (username) {
      body.readString("the user name");
    }
    if (password) {
      body.readBinary("the password");
    }
    if (body.hasMore()) {
      throw malformed("the CONNECT has " + body.left() + " bytes after its payload");
    }
    state = State.CHECKING;
  }

  /** Protocol name "MQTT" with level 4 (3.1.1) or 5. */
  private static boolean isMqtt(ByteBuf in, int at) {
    int level = in.getUnsignedByte(at + 6);
    return in.getUnsignedShort(at) == 4 && in.getByte(at + 2) == 'M' && in.getByte(at + 3) == 'Q'
      && in.getByte(at + 4) == 'T' && in.getByte(at + 5) == 'T' && (level == 4 || level == 5);
  }

  private void subscriptions(WireReader body) {
    while (body.hasMore()) {
      body.readString("a topic filter");
      if ((body.readByte() & (v5 ? 0xC0 : 0xFC)) != 0) {
        throw malformed("reserved bits of the subscription options are set (" + (v5 ? "MQTT-3.8.3-5)" : "MQTT-3.8.3-4)"));
      }
    }
  }

  /** MQTT 5 hears the reason on a CONNACK; 3.1.1, which has no code for these, only the close (MQTT-4.8.0-1). */
  private void refuseConnect(ChannelHandlerContext ctx, WireViolation v) {
    refusedConnect.accept(v.reasonCode());
    if (v5) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x20, 0x03, 0x00, (byte) v.reasonCode(), 0x00}))
        .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private static WireViolation malformed(String message) {
    return new WireViolation(WireViolation.MALFORMED_PACKET, message);
  }
}
