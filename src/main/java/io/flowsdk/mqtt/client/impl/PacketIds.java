package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.util.BitSet;

/** Packet identifiers 1..65535 for outgoing PUBLISH, SUBSCRIBE and UNSUBSCRIBE; an id is never reused while in use. */
final class PacketIds {

  private static final int MAX = 65535;
  private final BitSet used = new BitSet(MAX + 1);
  private int next = 1;
  private int inUse;

  /** A free id; fails with OVERLOADED when all 65535 are in use. */
  int acquire() {
    if (inUse == MAX) {
      throw new FlowException(FlowError.OVERLOADED, "all 65535 MQTT packet identifiers are in use");
    }
    int id = used.nextClearBit(next);
    if (id > MAX) {
      id = used.nextClearBit(1);
    }
    used.set(id);
    inUse++;
    next = id == MAX ? 1 : id + 1;
    return id;
  }

  void release(int id) {
    if (used.get(id)) {
      used.clear(id);
      inUse--;
    }
  }

  int inUse() {
    return inUse;
  }
}
