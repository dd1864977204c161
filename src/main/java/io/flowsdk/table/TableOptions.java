package io.flowsdk.table;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of a {@link FlowTable}: the TTL of the entries whose writes give none. */
public class TableOptions {

  public static final long DEFAULT_DEFAULT_TTL_MILLIS = 0;

  private long defaultTtlMillis = DEFAULT_DEFAULT_TTL_MILLIS;

  public TableOptions() {
  }

  public TableOptions(TableOptions other) {
    this(other.toJson());
  }

  public TableOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "TableOptions", "defaultTtlMillis");
    setDefaultTtlMillis(o.longValue("defaultTtlMillis", DEFAULT_DEFAULT_TTL_MILLIS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("defaultTtlMillis", defaultTtlMillis);
  }

  /**
   * The TTL of an entry written with a TTL of zero ({@code Duration.ZERO}, gRPC {@code ttl_millis} 0,
   * an MQTT publish without one); 0 means such entries never expire. Default 0.
   */
  public long getDefaultTtlMillis() {
    return defaultTtlMillis;
  }

  public TableOptions setDefaultTtlMillis(long defaultTtlMillis) {
    this.defaultTtlMillis = checkRange("TableOptions", "defaultTtlMillis", defaultTtlMillis, 0, 365L * 24 * 3600 * 1000);
    return this;
  }
}
