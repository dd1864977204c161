package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowOrigin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state the broker keeps for one client id: its subscriptions, both QoS halves and, while the
 * client is away, the timers that end the session or publish its will. Lives on the broker's event
 * loop and is touched only there.
 */
final class Session {

  final String clientId;
  final FlowOrigin origin;
  final OutboundFlow outbound;
  final InboundFlow inbound;
  final Map<String, SessionSubscription> subscriptions = new LinkedHashMap<>();
  /** The connection that claimed the session last in the registry; changes when a connection on this node takes it over. */
  String epoch;
  long generation;
  long expirySeconds;
  /** The connection serving the session now, or null while the client is away. */
  Connection connection;
  long expiryTimer = -1;
  /** A will waiting for its Will Delay Interval, or null. */
  PendingWill pendingWill;
  boolean ended;

  Session(String clientId, FlowOrigin origin, OutboundFlow outbound, InboundFlow inbound) {
    this.clientId = clientId;
    this.origin = origin;
    this.outbound = outbound;
    this.inbound = inbound;
  }

  /** Whether the session outlives its connection (and, in a cluster, is journaled). */
  boolean persistent() {
    return expirySeconds > 0;
  }

  SessionRecord record(String node) {
    return new SessionRecord(node, epoch, generation, expirySeconds, new ArrayList<>(subscriptions.values()));
  }

  /** A will scheduled after a connection was lost. */
  static final class PendingWill {
    final Will will;
    final long timer;

    PendingWill(Will will, long timer) {
      this.will = will;
      this.timer = timer;
    }
  }
}
