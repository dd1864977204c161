package io.flowsdk.mqtt.broker.impl;

/** A delivery read back from a session's journal: still queued ({@code packetId} 0) or sent and not yet complete. */
final class StoredDelivery {

  final Delivery delivery;
  final int packetId;
  final boolean released;

  StoredDelivery(Delivery delivery, int packetId, boolean released) {
    this.delivery = delivery;
    this.packetId = packetId;
    this.released = released;
  }
}
