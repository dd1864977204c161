package io.flowsdk.filter;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Options of the {@link FilterVerticle}: its name and its rules (the rule language is in
 * {@code docs/filter.md}). The rules are checked when the verticle deploys.
 */
public class FilterOptions {

  public static final String DEFAULT_NAME = "filter";
  public static final int DEFAULT_MAX_INFLIGHT = 64;
  public static final int DEFAULT_BUFFER_SIZE = 1024;

  private String name = DEFAULT_NAME;
  private JsonArray rules = new JsonArray();
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private int bufferSize = DEFAULT_BUFFER_SIZE;

  public FilterOptions() {
  }

  public FilterOptions(FilterOptions other) {
    this(other.toJson());
  }

  public FilterOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "FilterOptions", "name", "rules", "maxInflight", "bufferSize");
    setName(o.string("name", DEFAULT_NAME));
    JsonArray r = o.array("rules");
    setRules(r == null ? new JsonArray() : r);
    setMaxInflight(o.integer("maxInflight", DEFAULT_MAX_INFLIGHT));
    setBufferSize(o.integer("bufferSize", DEFAULT_BUFFER_SIZE));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("rules", rules.copy()).put("maxInflight", maxInflight).put("bufferSize", bufferSize);
  }

  /**
   * The filter's name: the {@code filter} tag of its meters and the shared-subscription group
   * {@code flowsdk-filter-<name>} its instances share. No {@code /}, {@code +} or {@code #}. Default {@code filter}.
   */
  public String getName() {
    return name;
  }

  public FilterOptions setName(String name) {
    if (name == null || name.isEmpty() || name.contains("/") || name.contains("+") || name.contains("#")) {
      throw new FlowException(FlowError.INVALID, "option 'name' of FilterOptions must be a non-empty name without '/', '+' or '#', not '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** The rules, in order. Default none. */
  public JsonArray getRules() {
    return rules;
  }

  public FilterOptions setRules(JsonArray rules) {
    this.rules = rules.copy();
    return this;
  }

  /** Messages of each of the filter's subscriptions in flight at once. Default 64. */
  public int getMaxInflight() {
    return maxInflight;
  }

  public FilterOptions setMaxInflight(int maxInflight) {
    this.maxInflight = (int) JsonOptions.checkRange("FilterOptions", "maxInflight", maxInflight, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Messages each of the filter's subscriptions buffers before dropping the oldest (counted by the bus). Default 1024. */
  public int getBufferSize() {
    return bufferSize;
  }

  public FilterOptions setBufferSize(int bufferSize) {
    this.bufferSize = (int) JsonOptions.checkRange("FilterOptions", "bufferSize", bufferSize, 1, Integer.MAX_VALUE);
    return this;
  }
}
