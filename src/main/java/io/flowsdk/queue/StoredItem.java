package io.flowsdk.queue;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A queue item as it is stored, read by {@link FlowQueue#peek} without delivering it: there is no receipt, as
 * there is no delivery.
 *
 * @param id         its id
 * @param payload    its payload
 * @param priority   0..255, higher first
 * @param attempts   how often it was delivered
 * @param visibleAt  epoch milliseconds from which a receive may take it (past: ready; future: delayed, or in flight
 *                   when {@code attempts} is above 0)
 * @param expiresAt  epoch milliseconds after which it is dropped instead of delivered; 0: never
 * @param deliveries its deliveries that ended without an ack, oldest first ({@link QueueItem#deliveries()})
 */
public record StoredItem(String id, Buffer payload, int priority, int attempts, long visibleAt, long expiresAt,
                         List<PastDelivery> deliveries) {

  public StoredItem {
    deliveries = List.copyOf(deliveries);
  }

  /** {@code ready}, {@code delayed} (never delivered, not visible yet) or {@code inFlight} (delivered, not visible yet) at {@code now}. */
  public String state(long now) {
    return visibleAt <= now ? "ready" : attempts == 0 ? "delayed" : "inFlight";
  }
}
