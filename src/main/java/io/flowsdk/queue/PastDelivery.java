package io.flowsdk.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One earlier delivery of a queue item, which ended without an ack: what {@link QueueItem#deliveries()} lists.
 *
 * @param deliveredAt epoch milliseconds the item was handed to a consumer
 * @param endedAt epoch milliseconds the delivery ended: its nack, or the end of its visibility timeout (as extended)
 * @param ending how it ended
 */
public record PastDelivery(long deliveredAt, long endedAt, Ending ending) {

  /** {@code {"deliveredAt": ms, "endedAt": ms, "ending": "TIMED_OUT"|"NACKED"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("deliveredAt", deliveredAt).put("endedAt", endedAt).put("ending", ending.name());
  }

  /** {@code deliveries} as a JSON array of {@link #toJson()}: how the MQTT user property and the admin API show them. */
  public static JsonArray toJson(List<PastDelivery> deliveries) {
    JsonArray array = new JsonArray();
    deliveries.forEach(d -> array.add(d.toJson()));
    return array;
  }

  public enum Ending {
    /** Its visibility timeout ran out: the consumer did not ack, nack or extend it in time (or is gone). */
    TIMED_OUT,
    /** The consumer gave it back. */
    NACKED
  }
}
