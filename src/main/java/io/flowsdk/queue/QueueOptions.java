package io.flowsdk.queue;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of a {@link FlowQueue}: capacity, visibility timeout, delivery attempts and where dead letters go. */
public class QueueOptions {

  public static final int DEFAULT_CAPACITY = 100_000;
  public static final long DEFAULT_VISIBILITY_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  private int capacity = DEFAULT_CAPACITY;
  private long visibilityTimeoutMillis = DEFAULT_VISIBILITY_TIMEOUT_MILLIS;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private String deadLetterQueue;

  public QueueOptions() {
  }

  public QueueOptions(QueueOptions other) {
    this(other.toJson());
  }

  public QueueOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "QueueOptions", "capacity", "visibilityTimeoutMillis", "maxAttempts", "deadLetterQueue");
    setCapacity(o.integer("capacity", DEFAULT_CAPACITY));
    setVisibilityTimeoutMillis(o.longValue("visibilityTimeoutMillis", DEFAULT_VISIBILITY_TIMEOUT_MILLIS));
    setMaxAttempts(o.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS));
    setDeadLetterQueue(o.string("deadLetterQueue", null));
  }

  public JsonObject toJson() {
    return new JsonObject().put("capacity", capacity).put("visibilityTimeoutMillis", visibilityTimeoutMillis).put("maxAttempts", maxAttempts)
      .put("deadLetterQueue", deadLetterQueue);
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

  /**
   * The name the dead letters are kept under: the store map {@code queue.<deadLetterQueue>}, or in a
   * cluster the Hazelcast map {@code flowsdk.queue.<deadLetterQueue>}. Give each queue its own.
   * Default {@code null}: {@code <name>.dlq}.
   */
  public String getDeadLetterQueue() {
    return deadLetterQueue;
  }

  public QueueOptions setDeadLetterQueue(String deadLetterQueue) {
    if (deadLetterQueue != null && deadLetterQueue.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'deadLetterQueue' of QueueOptions must be a name or null (<name>.dlq), not empty");
    }
    this.deadLetterQueue = deadLetterQueue;
    return this;
  }

  /** The name the dead letters of the queue {@code name} are kept under: {@link #getDeadLetterQueue()} or {@code <name>.dlq}. */
  public String deadLetterQueueOf(String name) {
    return deadLetterQueue != null ? deadLetterQueue : name + ".dlq";
  }
}
