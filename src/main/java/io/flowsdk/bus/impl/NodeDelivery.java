package io.flowsdk.bus.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;

/**
 * What one node is asked to deliver: a message to all its matching non-shared subscriptions (when
 * {@link #toAllSubscribers}) and to one member of each listed shared subscription. The
 * {@link #sourceNode} and {@link #deliveryId} identify the delivery for QoS 2 de-duplication.
 */
final class NodeDelivery {

  final FlowMessage message;
  final String sourceNode;
  final long deliveryId;
  final boolean toAllSubscribers;
  final List<String> sharedFilters;

  NodeDelivery(FlowMessage message, String sourceNode, long deliveryId, boolean toAllSubscribers, List<String> sharedFilters) {
    this.message = message;
    this.sourceNode = sourceNode;
    this.deliveryId = deliveryId;
    this.toAllSubscribers = toAllSubscribers;
    this.sharedFilters = sharedFilters;
  }
}
