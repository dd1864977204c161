package io.flowsdk.bus;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkFraction;
import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of the {@link FlowBus}. The JSON form is the {@code bus} object of a node configuration. */
public class FlowBusOptions {

  public static final long DEFAULT_ACK_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_RETRIES = 2;
  public static final long DEFAULT_TRANSIT_TIMEOUT_MILLIS = 2_000;
  public static final long DEFAULT_RETRY_BACKOFF_MILLIS = 200;
  public static final long DEFAULT_RETRY_BACKOFF_MAX_MILLIS = 5_000;
  public static final double DEFAULT_RETRY_JITTER = 0.2;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_DEDUP_WINDOW = 100_000;
  public static final String DEFAULT_ROUTE_MAP = "flowsdk.routes";

  private long ackTimeoutMillis = DEFAULT_ACK_TIMEOUT_MILLIS;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private long transitTimeoutMillis = DEFAULT_TRANSIT_TIMEOUT_MILLIS;
  private long retryBackoffMillis = DEFAULT_RETRY_BACKOFF_MILLIS;
  private long retryBackoffMaxMillis = DEFAULT_RETRY_BACKOFF_MAX_MILLIS;
  private double retryJitter = DEFAULT_RETRY_JITTER;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private int dedupWindow = DEFAULT_DEDUP_WINDOW;
  private String routeMap = DEFAULT_ROUTE_MAP;

  public FlowBusOptions() {
  }

  public FlowBusOptions(FlowBusOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys and wrong types fail with {@code INVALID}. */
  public FlowBusOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "FlowBusOptions",
      "ackTimeoutMillis", "transitTimeoutMillis", "maxRetries", "retryBackoffMillis", "retryBackoffMaxMillis",
      "retryJitter", "maxMessageBytes", "dedupWindow", "routeMap");
    setAckTimeoutMillis(o.longValue("ackTimeoutMillis", DEFAULT_ACK_TIMEOUT_MILLIS));
    setTransitTimeoutMillis(o.longValue("transitTimeoutMillis", DEFAULT_TRANSIT_TIMEOUT_MILLIS));
    setMaxRetries(o.integer("maxRetries", DEFAULT_MAX_RETRIES));
    setRetryBackoffMillis(o.longValue("retryBackoffMillis", DEFAULT_RETRY_BACKOFF_MILLIS));
    setRetryBackoffMaxMillis(o.longValue("retryBackoffMaxMillis", DEFAULT_RETRY_BACKOFF_MAX_MILLIS));
    setRetryJitter(o.doubleValue("retryJitter", DEFAULT_RETRY_JITTER));
    setMaxMessageBytes(o.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setDedupWindow(o.integer("dedupWindow", DEFAULT_DEDUP_WINDOW));
    setRouteMap(o.string("routeMap", DEFAULT_ROUTE_MAP));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("ackTimeoutMillis", ackTimeoutMillis)
      .put("transitTimeoutMillis", transitTimeoutMillis)
      .put("maxRetries", maxRetries)
      .put("retryBackoffMillis", retryBackoffMillis)
      .put("retryBackoffMaxMillis", retryBackoffMaxMillis)
      .put("retryJitter", retryJitter)
      .put("maxMessageBytes", maxMessageBytes)
      .put("dedupWindow", dedupWindow)
      .put("routeMap", routeMap);
  }

  /**
   * How long the subscribers on a node have to take and acknowledge a QoS 1/2 delivery. A message
   * still waiting in a subscription's buffer then fails its publisher with {@code OVERLOADED} and is
   * removed; one whose handler has not completed fails it with {@code TIMEOUT}. Neither is retried.
   * Default 10000.
   */
  public long getAckTimeoutMillis() {
    return ackTimeoutMillis;
  }

  public FlowBusOptions setAckTimeoutMillis(long ackTimeoutMillis) {
    this.ackTimeoutMillis = checkRange("FlowBusOptions", "ackTimeoutMillis", ackTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /**
   * How much longer than {@link #getAckTimeoutMillis()} a node waits for another node's answer to a
   * QoS 1/2 delivery before it takes the delivery (or its answer) as lost in transit and tries again.
   * Default 2000.
   */
  public long getTransitTimeoutMillis() {
    return transitTimeoutMillis;
  }

  public FlowBusOptions setTransitTimeoutMillis(long transitTimeoutMillis) {
    this.transitTimeoutMillis = checkRange("FlowBusOptions", "transitTimeoutMillis", transitTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /**
   * How often a QoS 1/2 delivery lost in transit to another node is sent again before the publish
   * fails. The receiving node drops a copy it has seen, so a retry never delivers twice. Default 2.
   */
  public int getMaxRetries() {
    return maxRetries;
  }

  public FlowBusOptions setMaxRetries(int maxRetries) {
    this.maxRetries = (int) checkRange("FlowBusOptions", "maxRetries", maxRetries, 0, 100);
    return this;
  }

  /** Pause before the first retry; it doubles with each further one up to {@link #getRetryBackoffMaxMillis()}. Default 200. */
  public long getRetryBackoffMillis() {
    return retryBackoffMillis;
  }

  public FlowBusOptions setRetryBackoffMillis(long retryBackoffMillis) {
    this.retryBackoffMillis = checkRange("FlowBusOptions", "retryBackoffMillis", retryBackoffMillis, 1, 600_000);
    return this;
  }

  /** The longest pause between two retries. Default 5000. */
  public long getRetryBackoffMaxMillis() {
    return retryBackoffMaxMillis;
  }

  public FlowBusOptions setRetryBackoffMaxMillis(long retryBackoffMaxMillis) {
    this.retryBackoffMaxMillis = checkRange("FlowBusOptions", "retryBackoffMaxMillis", retryBackoffMaxMillis, 1, 3_600_000);
    return this;
  }

  /**
   * The random fraction of each retry pause (0 to 1), so that the retries of many publishers cut off
   * together do not arrive together. Default 0.2.
   */
  public double getRetryJitter() {
    return retryJitter;
  }

  public FlowBusOptions setRetryJitter(double retryJitter) {
    this.retryJitter = checkFraction("FlowBusOptions", "retryJitter", retryJitter);
    return this;
  }

  /** Largest payload accepted by {@link FlowBus#publish}; larger fails with {@code TOO_LARGE}. Default 16 MiB. */
  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public FlowBusOptions setMaxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = (int) checkRange("FlowBusOptions", "maxMessageBytes", maxMessageBytes, 1, 256 * 1024 * 1024);
    return this;
  }

  /** How many recent QoS 1/2 deliveries a node remembers to drop retried duplicates. Default 100000. */
  public int getDedupWindow() {
    return dedupWindow;
  }

  public FlowBusOptions setDedupWindow(int dedupWindow) {
    this.dedupWindow = (int) checkRange("FlowBusOptions", "dedupWindow", dedupWindow, 1, 10_000_000);
    return this;
  }

  /** Name of the Hazelcast map holding the cluster's routes. Default {@code flowsdk.routes}. */
  public String getRouteMap() {
    return routeMap;
  }

  public FlowBusOptions setRouteMap(String routeMap) {
    this.routeMap = routeMap;
    return this;
  }
}
