package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;

/**
 * A message on its way to one session: the bus message, the QoS it is delivered with (already
 * downgraded to the subscription's), the RETAIN flag it carries, and the subscription identifiers
 * of the subscription it matched.
 */
final class Delivery {

  final FlowMessage message;
  final int qos;
  final boolean retain;
  final List<Integer> subscriptionIds;
  /** The shared subscription ({@code $share/group/filter}) it came through, or null. */
  String sharedFilter;
  /** Its key in the session's journal, or null when it is not written down. */
  String journalKey;
  /**
   * Told when this delivery ends, for one that is not the session's to keep (a queue item, which its
   * queue redelivers): never journaled, and dropped from the session when its connection goes. Null
   * for the others.
   */
  Settlement settlement;

  /** How a delivery that its source settles ends. */
  enum Ending {
    /** By the client's PUBACK. */
    ACKNOWLEDGED,
    /** Without one, before it was sent or while in flight: the session's queue was full, or the connection went. */
    GIVEN_BACK,
    /** Never sent, as this client may not or cannot take it: denied by the ACL, or above its Maximum Packet Size. */
    REFUSED
  }

  /** Told how a delivery that its source settles ends. */
  interface Settlement {
    void ended(Ending ending);
  }

  Delivery(FlowMessage message, int qos, boolean retain, List<Integer> subscriptionIds) {
    this.message = message;
    this.qos = qos;
    this.retain = retain;
    this.subscriptionIds = subscriptionIds;
  }
}
