package io.flowsdk.bus;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of the {@link FlowBus}. The JSON form is the {@code bus} object of a node configuration. */
public class FlowBusOptions {

  public static final long DEFAULT_ACK_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_RETRIES = 2;
  public static final long DEFAULT_RETRY_BACKOFF_MILLIS = 200;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_DEDUP_WINDOW = 100_000;
  public static final String DEFAULT_ROUTE_MAP = "flowsdk.routes";

  private long ackTimeoutMillis = DEFAULT_ACK_TIMEOUT_MILLIS;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private long retryBackoffMillis = DEFAULT_RETRY_BACKOFF_MILLIS;
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
      "ackTimeoutMillis", "maxRetries", "retryBackoffMillis", "maxMessageBytes", "dedupWindow", "routeMap");
    setAckTimeoutMillis(o.longValue("ackTimeoutMillis", DEFAULT_ACK_TIMEOUT_MILLIS));
    setMaxRetries(o.integer("maxRetries", DEFAULT_MAX_RETRIES));
    setRetryBackoffMillis(o.longValue("retryBackoffMillis", DEFAULT_RETRY_BACKOFF_MILLIS));
    setMaxMessageBytes(o.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setDedupWindow(o.integer("dedupWindow", DEFAULT_DEDUP_WINDOW));
    setRouteMap(o.string("routeMap", DEFAULT_ROUTE_MAP));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("ackTimeoutMillis", ackTimeoutMillis)
      .put("maxRetries", maxRetries)
      .put("retryBackoffMillis", retryBackoffMillis)
      .put("maxMessageBytes", maxMessageBytes)
      .put("dedupWindow", dedupWindow)
      .put("routeMap", routeMap);
  }

  /** How long a node has to acknowledge a QoS 1/2 delivery before it is tried again. Default 10000. */
  public long getAckTimeoutMillis() {
    return ackTimeoutMillis;
  }

  public FlowBusOptions setAckTimeoutMillis(long ackTimeoutMillis) {
    this.ackTimeoutMillis = checkRange("FlowBusOptions", "ackTimeoutMillis", ackTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /** How often an unacknowledged QoS 1/2 delivery to a node is tried again before the publish fails. Default 2. */
  public int getMaxRetries() {
    return maxRetries;
  }

  public FlowBusOptions setMaxRetries(int maxRetries) {
    this.maxRetries = (int) checkRange("FlowBusOptions", "maxRetries", maxRetries, 0, 100);
    return this;
  }

  /** Pause before the first retry; it doubles with each further one. Default 200. */
  public long getRetryBackoffMillis() {
    return retryBackoffMillis;
  }

  public FlowBusOptions setRetryBackoffMillis(long retryBackoffMillis) {
    this.retryBackoffMillis = checkRange("FlowBusOptions", "retryBackoffMillis", retryBackoffMillis, 1, 600_000);
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

  /** How many recent QoS 2 deliveries a node remembers to drop retried duplicates. Default 100000. */
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
