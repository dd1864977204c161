package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Where each MQTT packet's property blocks sit: the fields before them, per packet type and protocol version, read
 * as MQTT 3.1.1 and 5.0 lay them out (and Netty's decoder reads them), up to and through the packet's last block.
 * The one walk for whatever must find the blocks: {@link WireCheck} validates them, {@link NettyPropertyOrder}
 * reorders them. Every read is bounds-checked ({@link WireReader}): a packet too short for its fields fails with a
 * {@link WireViolation}, as does an ill-formed string before a block (a topic name, a client identifier).
 *
 * <p>An acknowledgement (PUBACK to PUBCOMP), DISCONNECT or AUTH of MQTT 5 carries a block only if its remaining
 * length leaves room for one; with none (or in MQTT 3.1.1) nothing of it is read.
 */
final class PacketLayout {

  static final int CONNECT = 1;
  static final int PUBLISH = 3;
  static final int SUBSCRIBE = 8;
  static final int UNSUBSCRIBE = 10;
  static final int AUTH = 15;

  /** What is done with each property block the walk comes to. */
  @FunctionalInterface
  interface Blocks {
    /** Reads or skips the block of a {@code packet} whose length field {@code body} is at, leaving it past the block. */
    void block(WireReader body, PropertyRules packet);
  }

  private PacketLayout() {
  }

  /** A reader of the body (what follows the fixed header) of the packet of {@code length} bytes at {@code from}. */
  static WireReader body(ByteBuf packet, int from, int length) {
    int header = 2;
    while ((packet.getByte(from + header - 1) & 0x80) != 0) {
      header++;
    }
    return new WireReader(packet, from + header, from + length);
  }

  /**
   * Reads a packet's fields from {@code body}'s start up to and through its last property block, handing each block
   * to {@code blocks}; {@code firstByte} is the packet's first byte (type and flags), {@code v5} whether it belongs
   * to an MQTT 5 connection (a CONNECT says for itself). A CONNECT is read through its Will Properties, or its client
   * identifier when it has no will; an MQTT 3.1.1 PUBLISH, SUBSCRIBE or UNSUBSCRIBE through the fields before where
   * MQTT 5 puts the block.
   */
  static void walk(int firstByte, WireReader body, boolean v5, Blocks blocks) {
    switch (firstByte >> 4) {
      case CONNECT -> connect(body, blocks);
      case 2 -> {
        if (v5) {
          body.skip(2, "the acknowledge flags and reason code");
          blocks.block(body, PropertyRules.CONNACK);
        }
      }
      case PUBLISH -> publish(body, (firstByte >> 1) & 3, v5, blocks);
      case 4 -> acknowledgement(body, v5, PropertyRules.PUBACK, blocks);
      case 5 -> acknowledgement(body, v5, PropertyRules.PUBREC, blocks);
      case 6 -> acknowledgement(body, v5, PropertyRules.PUBREL, blocks);
      case 7 -> acknowledgement(body, v5, PropertyRules.PUBCOMP, blocks);
      case SUBSCRIBE -> packetIdAndBlock(body, v5, PropertyRules.SUBSCRIBE, blocks);
      case 9 -> packetIdAndBlock(body, v5, PropertyRules.SUBACK, blocks);
      case UNSUBSCRIBE -> packetIdAndBlock(body, v5, PropertyRules.UNSUBSCRIBE, blocks);
      case 11 -> packetIdAndBlock(body, v5, PropertyRules.UNSUBACK, blocks);
      case 14 -> reasonAndBlock(body, v5, PropertyRules.DISCONNECT, blocks);
      case AUTH -> reasonAndBlock(body, v5, PropertyRules.AUTH, blocks);
      default -> {
      }
    }
  }

  private static void connect(WireReader body, Blocks blocks) {
    body.readString("the protocol name");
    boolean v5 = body.readByte() == 5;
    boolean will = (body.readByte() & 0x04) != 0;
    body.skip(2, "the keep alive");
    if (v5) {
      blocks.block(body, PropertyRules.CONNECT);
    }
    body.readString("the client identifier");
    if (will && v5) {
      blocks.block(body, PropertyRules.WILL);
    }
  }

  private static void publish(WireReader body, int qos, boolean v5, Blocks blocks) {
    body.readString("the topic name");
    if (qos > 0) {
      body.skip(2, "the packet identifier");
    }
    if (v5) {
      blocks.block(body, PropertyRules.PUBLISH);
    }
  }

  /** PUBACK, PUBREC, PUBREL, PUBCOMP: a packet identifier, then (MQTT 5) an optional reason code and properties. */
  private static void acknowledgement(WireReader body, boolean v5, PropertyRules packet, Blocks blocks) {
    if (v5 && body.left() > 3) {
      body.skip(2, "the packet identifier");
      body.skip(1, "the reason code");
      blocks.block(body, packet);
    }
  }

  private static void packetIdAndBlock(WireReader body, boolean v5, PropertyRules packet, Blocks blocks) {
    body.skip(2, "the packet identifier");
    if (v5) {
      blocks.block(body, packet);
    }
  }

  /** DISCONNECT, AUTH: (MQTT 5) an optional reason code, then optional properties. */
  private static void reasonAndBlock(WireReader body, boolean v5, PropertyRules packet, Blocks blocks) {
    if (v5 && body.left() > 1) {
      body.skip(1, "the reason code");
      blocks.block(body, packet);
    }
  }
}
