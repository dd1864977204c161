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
  /** Its key in the session's journal, or null when it is not written down. */
  String journalKey;

  Delivery(FlowMessage message, int qos, boolean retain, List<Integer> subscriptionIds) {
    this.message = message;
    this.qos = qos;
    this.retain = retain;
    this.subscriptionIds = subscriptionIds;
  }
}
