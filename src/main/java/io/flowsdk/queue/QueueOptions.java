package io.flowsdk.queue;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of a {@link FlowQueue}: capacity, visibility timeout and delivery attempts. */
public class QueueOptions {

  public static final int DEFAULT_CAPACITY = 100_000;
  public static final long DEFAULT_VISIBILITY_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  private int capacity = DEFAULT_CAPACITY;
  private long visibilityTimeoutMillis = DEFAULT_VISIBILITY_TIMEOUT_MILLIS;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

  public QueueOptions() {
  }

  public QueueOptions(QueueOptions other) {
    this(other.toJson());
  }

  public QueueOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "QueueOptions", "capacity", "visibilityTimeoutMillis", "maxAttempts");
    setCapacity(o.integer("capacity", DEFAULT_CAPACITY));
    setVisibilityTimeoutMillis(o.longValue("visibilityTimeoutMillis", DEFAULT_VISIBILITY_TIMEOUT_MILLIS));
    setMaxAttempts(o.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("capacity", capacity).put("visibilityTimeoutMillis", visibilityTimeoutMillis).put("maxAttempts", maxAttempts);
  }

  /** Items the queue holds (ready, delayed and in flight) before enqueue fails with {@code OVERLOADED}. Default 100000. */
  public int getCapacity() {
    return capacity;
  }

  public QueueOptions setCapacity(int capacity) {
    this.capacity = (int) checkRange("QueueOptions", "capacity", capacity, 1, Integer.MAX_VALUE);
    return this;
  }

  /** How long a received item stays invisible to other consumers unless acknowledged or extended. Default 30000. */
  public long getVisibilityTimeoutMillis() {
    return visibilityTimeoutMillis;
  }

  public QueueOptions setVisibilityTimeoutMillis(long visibilityTimeoutMillis) {
    this.visibilityTimeoutMillis = checkRange("QueueOptions", "visibilityTimeoutMillis", visibilityTimeoutMillis, 1, 12L * 3600 * 1000);
    return this;
  }

  /** Deliveries of an item before it moves to the dead-letter queue instead. Default 5. */
  public int getMaxAttempts() {
    return maxAttempts;
  }

  public QueueOptions setMaxAttempts(int maxAttempts) {
    this.maxAttempts = (int) checkRange("QueueOptions", "maxAttempts", maxAttempts, 1, 1000);
    return this;
  }
}
