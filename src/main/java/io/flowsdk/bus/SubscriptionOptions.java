package io.flowsdk.bus;

import io.flowsdk.config.JsonOptions;
import io.flowsdk.topic.Topics;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of one {@link FlowBus#subscribe subscription}. */
public class SubscriptionOptions {

  public static final QoS DEFAULT_QOS = QoS.EXACTLY_ONCE;
  public static final int DEFAULT_BUFFER_SIZE = 1024;
  public static final int DEFAULT_MAX_INFLIGHT = 64;
  /** The highest {@link #setMaxInflight} takes. */
  public static final int MAX_INFLIGHT_LIMIT = 65_535;
  public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP_OLDEST;

  private String filter;
  private QoS qos = DEFAULT_QOS;
  private boolean noLocal;
  private FlowOrigin owner = FlowOrigin.UNKNOWN;
  private int bufferSize = DEFAULT_BUFFER_SIZE;
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;

  public SubscriptionOptions() {
  }

  public SubscriptionOptions(SubscriptionOptions other) {
    this(other.toJson());
    this.owner = other.owner;
  }

  public SubscriptionOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "SubscriptionOptions",
      "filter", "qos", "noLocal", "bufferSize", "maxInflight", "overflowPolicy");
    if (o.has("filter")) {
      setFilter(o.string("filter", null));
    }
    setQos(QoS.of(o.integer("qos", DEFAULT_QOS.value())));
    setNoLocal(o.bool("noLocal", false));
    setBufferSize(o.integer("bufferSize", DEFAULT_BUFFER_SIZE));
    setMaxInflight(o.integer("maxInflight", DEFAULT_MAX_INFLIGHT));
    setOverflowPolicy(o.enumValue("overflowPolicy", OverflowPolicy.class, DEFAULT_OVERFLOW_POLICY));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (filter != null) {
      json.put("filter", filter);
    }
    return json.put("qos", qos.value())
      .put("noLocal", noLocal)
      .put("bufferSize", bufferSize)
      .put("maxInflight", maxInflight)
      .put("overflowPolicy", overflowPolicy.name());
  }

  /** The topic filter, with wildcards or as {@code $share/group/filter}. Required. */
  public String getFilter() {
    return filter;
  }

  public SubscriptionOptions setFilter(String filter) {
    Topics.validateFilter(filter);
    this.filter = filter;
    return this;
  }

  /** Highest QoS delivered: messages published with a higher one are downgraded. Default 2. */
  public QoS getQos() {
    return qos;
  }

  public SubscriptionOptions setQos(QoS qos) {
    this.qos = qos;
    return this;
  }

  /** When true, messages whose origin equals {@link #getOwner()} are not delivered (MQTT No Local). Default false. */
  public boolean isNoLocal() {
    return noLocal;
  }

  public SubscriptionOptions setNoLocal(boolean noLocal) {
    this.noLocal = noLocal;
    return this;
  }

  /** Who subscribes: compared with a message's origin for No Local. Not part of the JSON form. */
  public FlowOrigin getOwner() {
    return owner;
  }

  public SubscriptionOptions setOwner(FlowOrigin owner) {
    this.owner = owner;
    return this;
  }

  /** Messages held while paused or while the in-flight window is full. Default 1024. */
  public int getBufferSize() {
    return bufferSize;
  }

  public SubscriptionOptions setBufferSize(int bufferSize) {
    this.bufferSize = (int) checkRange("SubscriptionOptions", "bufferSize", bufferSize, 1, 10_000_000);
    return this;
  }

  /** Messages handed to the handler whose futures have not completed yet, at most. Default 64. */
  public int getMaxInflight() {
    return maxInflight;
  }

  public SubscriptionOptions setMaxInflight(int maxInflight) {
    this.maxInflight = (int) checkRange("SubscriptionOptions", "maxInflight", maxInflight, 1, MAX_INFLIGHT_LIMIT);
    return this;
  }

  /** What happens when the buffer is full. Default {@link OverflowPolicy#DROP_OLDEST}. */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  public SubscriptionOptions setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = overflowPolicy;
    return this;
  }
}
