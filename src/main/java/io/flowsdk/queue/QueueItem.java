package io.flowsdk.queue;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * An item handed to a consumer by {@link FlowQueue#receive}: acknowledge it with its
 * {@link #receipt()} before {@link #invisibleUntil()}, or it is delivered again.
 */
public final class QueueItem {

  private final String id;
  private final Buffer payload;
  private final int priority;
  private final int attempt;
  private final long invisibleUntil;
  private final long expiresAt;
  private final List<PastDelivery> deliveries;

  public QueueItem(String id, Buffer payload, int priority, int attempt, long invisibleUntil, long expiresAt,
                   List<PastDelivery> deliveries) {
    this.id = id;
    this.payload = payload;
    this.priority = priority;
    this.attempt = attempt;
    this.invisibleUntil = invisibleUntil;
    this.expiresAt = expiresAt;
    this.deliveries = List.copyOf(deliveries);
  }

  public String id() {
    return id;
  }

  public Buffer payload() {
    return payload;
  }

  /** Names this delivery of the item: ack, nack and extend take it, and refuse one of an earlier delivery. */
  public String receipt() {
    return id + "#" + attempt;
  }

  /** 0..255, higher first. */
  public int priority() {
    return priority;
  }

  /** Which delivery this is, from 1. */
  public int attempt() {
    return attempt;
  }

  /** Epoch milliseconds until which no other consumer gets the item. */
  public long invisibleUntil() {
    return invisibleUntil;
  }

  /** Epoch milliseconds after which the item is dropped instead of delivered (its enqueue's ttl); 0: never. */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * The item's earlier deliveries that ended without an ack, oldest first. Of a dead letter
   * ({@link FlowQueue#deadLetters()}): its deliveries in the queue it came from, which its deliveries as a
   * dead letter do not add to.
   */
  public List<PastDelivery> deliveries() {
    return deliveries;
  }
}
