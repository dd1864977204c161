package io.flowsdk.bus.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;

import java.util.List;

/**
 * What one node is asked to deliver: a message to all its matching non-shared subscriptions (when
 * {@link #toAllSubscribers}) and to one member of each listed shared subscription. The
 * {@link #sourceNode} and {@link #deliveryId} identify the delivery for QoS 2 de-duplication.
 * A delivery handed on to another member of a group ({@link io.flowsdk.bus.FlowBus#publishToGroup})
 * names the owner whose members must not get it.
 */
final class NodeDelivery {

  final FlowMessage message;
  final String sourceNode;
  final long deliveryId;
  final boolean toAllSubscribers;
  final List<String> sharedFilters;
  /** The owner whose shared members are passed over, or null for a first delivery. */
  final FlowOrigin exceptOwner;

  NodeDelivery(FlowMessage message, String sourceNode, long deliveryId, boolean toAllSubscribers, List<String> sharedFilters) {
    this(message, sourceNode, deliveryId, toAllSubscribers, sharedFilters, null);
  }

  NodeDelivery(FlowMessage message, String sourceNode, long deliveryId, boolean toAllSubscribers, List<String> sharedFilters,
               FlowOrigin exceptOwner) {
    this.message = message;
    this.sourceNode = sourceNode;
    this.deliveryId = deliveryId;
    this.toAllSubscribers = toAllSubscribers;
    this.sharedFilters = sharedFilters;
    this.exceptOwner = exceptOwner;
  }

  /** Whether {@code s} may get this delivery as its group's member. */
  boolean mayGoTo(LocalSubscription s) {
    return exceptOwner == null || !s.ownedBy(exceptOwner);
  }
}
