package io.flowsdk.queue;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of a {@link FlowQueue}: capacity and what happens at it, visibility timeout, delivery attempts and where dead letters go. */
public class QueueOptions {

  public static final int DEFAULT_CAPACITY = 100_000;
  public static final long DEFAULT_VISIBILITY_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP_NEWEST;

  private int capacity = DEFAULT_CAPACITY;
  private long visibilityTimeoutMillis = DEFAULT_VISIBILITY_TIMEOUT_MILLIS;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private String deadLetterQueue;
  private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;

  public QueueOptions() {
  }

  public QueueOptions(QueueOptions other) {
    this(other.toJson());
  }

  public QueueOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "QueueOptions", "capacity", "visibilityTimeoutMillis", "maxAttempts", "deadLetterQueue",
      "overflowPolicy");
    setCapacity(o.integer("capacity", DEFAULT_CAPACITY));
    setVisibilityTimeoutMillis(o.longValue("visibilityTimeoutMillis", DEFAULT_VISIBILITY_TIMEOUT_MILLIS));
    setMaxAttempts(o.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS));
    setDeadLetterQueue(o.string("deadLetterQueue", null));
    setOverflowPolicy(o.enumValue("overflowPolicy", OverflowPolicy.class, DEFAULT_OVERFLOW_POLICY));
  }

  public JsonObject toJson() {
    return new JsonObject().put("capacity", capacity).put("visibilityTimeoutMillis", visibilityTimeoutMillis).put("maxAttempts", maxAttempts)
      .put("deadLetterQueue", deadLetterQueue).put("overflowPolicy", overflowPolicy.name());
  }

  /** Items the queue holds (ready, delayed and in flight); what an enqueue beyond it does is the {@link #getOverflowPolicy() overflow policy}. Default 100000. */
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

  /**
   * What an enqueue does when the queue is at capacity: {@code DROP_NEWEST} refuses the arriving item
   * with {@code OVERLOADED} (reject); {@code DROP_OLDEST} drops the ready item enqueued first to make
   * room; {@code DROP_LOWEST_PRIORITY} drops the ready item of the lowest priority (the oldest among
   * equals), or refuses the arriving one when it has a lower priority still. Only ready items are
   * dropped (not those in flight or delayed); with none ready the enqueue is refused. Drops are
   * counted in {@code flowsdk.queue.dropped} by reason, refusals in {@code flowsdk.queue.refused}.
   * Default {@code DROP_NEWEST}.
   */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  public QueueOptions setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
    return this;
  }
}
