package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.topic.TopicRewrite;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link MqttClientVerticle}: the broker connection ({@code client}, the full
 * {@link MqttClientOptions}), the publish/subscribe mappings in each direction, the MQTT 5
 * request/response mappings in each direction, and the bounds of both. The JSON form is documented
 * in {@code docs/mqtt-bridge.md}; unknown keys fail with {@code INVALID}, and so does a mapping
 * whose filters cannot be rewritten into each other.
 */
public class MqttBridgeOptions {

  private static final String OWNER = "MqttBridgeOptions";
  public static final String DEFAULT_NAME = "mqtt-bridge";
  public static final String DEFAULT_RESPONSE_TOPIC_PREFIX = "flowsdk/responses";
  public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_PENDING_REQUESTS = 1000;
  public static final int DEFAULT_OUTBOUND_MAX_INFLIGHT = 256;
  public static final int DEFAULT_OUTBOUND_BUFFER_SIZE = 4096;
  public static final OverflowPolicy DEFAULT_OUTBOUND_OVERFLOW_POLICY = OverflowPolicy.DROP_OLDEST;
  public static final int DEFAULT_INBOUND_RETRY_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_INBOUND_RETRY_INITIAL_DELAY_MILLIS = 100;
  public static final long DEFAULT_INBOUND_RETRY_MAX_DELAY_MILLIS = 2_000;
  public static final InboundFailurePolicy DEFAULT_INBOUND_FAILURE_POLICY = InboundFailurePolicy.REDELIVER;

  private String name = DEFAULT_NAME;
  private String cluster;
  private MqttClientOptions client = new MqttClientOptions();
  private List<TopicMapping> inbound = new ArrayList<>();
  private List<TopicMapping> outbound = new ArrayList<>();
  private List<RequestMapping> inboundRequests = new ArrayList<>();
  private List<RequestMapping> outboundRequests = new ArrayList<>();
  private String responseTopicPrefix = DEFAULT_RESPONSE_TOPIC_PREFIX;
  private long requestTimeoutMillis = DEFAULT_REQUEST_TIMEOUT_MILLIS;
  private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
  private int outboundMaxInflight = DEFAULT_OUTBOUND_MAX_INFLIGHT;
  private int outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;
  private OverflowPolicy outboundOverflowPolicy = DEFAULT_OUTBOUND_OVERFLOW_POLICY;
  private int inboundRetryMaxAttempts = DEFAULT_INBOUND_RETRY_MAX_ATTEMPTS;
  private long inboundRetryInitialDelayMillis = DEFAULT_INBOUND_RETRY_INITIAL_DELAY_MILLIS;
  private long inboundRetryMaxDelayMillis = DEFAULT_INBOUND_RETRY_MAX_DELAY_MILLIS;
  private InboundFailurePolicy inboundFailurePolicy = DEFAULT_INBOUND_FAILURE_POLICY;

  public MqttBridgeOptions() {
  }

  public MqttBridgeOptions(MqttBridgeOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and unmappable filters fail with {@code INVALID}. */
  public MqttBridgeOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "cluster", "client", "inbound", "outbound", "inboundRequests",
      "outboundRequests", "responseTopicPrefix", "requestTimeoutMillis", "maxPendingRequests", "outboundMaxInflight",
      "outboundBufferSize", "outboundOverflowPolicy", "inboundRetryMaxAttempts", "inboundRetryInitialDelayMillis",
      "inboundRetryMaxDelayMillis", "inboundFailurePolicy");
    setName(o.string("name", DEFAULT_NAME));
    setCluster(o.string("cluster", null));
    JsonObject clientJson = o.object("client");
    setClient(clientJson == null ? new MqttClientOptions() : new MqttClientOptions(clientJson));
    setInbound(o.objects("inbound", TopicMapping::new).orElse(List.of()));
    setOutbound(o.objects("outbound", TopicMapping::new).orElse(List.of()));
    setInboundRequests(o.objects("inboundRequests", RequestMapping::new).orElse(List.of()));
    setOutboundRequests(o.objects("outboundRequests", RequestMapping::new).orElse(List.of()));
    setResponseTopicPrefix(o.string("responseTopicPrefix", DEFAULT_RESPONSE_TOPIC_PREFIX));
    setRequestTimeoutMillis(o.longValue("requestTimeoutMillis", DEFAULT_REQUEST_TIMEOUT_MILLIS));
    setMaxPendingRequests(o.integer("maxPendingRequests", DEFAULT_MAX_PENDING_REQUESTS));
    setOutboundMaxInflight(o.integer("outboundMaxInflight", DEFAULT_OUTBOUND_MAX_INFLIGHT));
    setOutboundBufferSize(o.integer("outboundBufferSize", DEFAULT_OUTBOUND_BUFFER_SIZE));
    setOutboundOverflowPolicy(o.enumValue("outboundOverflowPolicy", OverflowPolicy.class, DEFAULT_OUTBOUND_OVERFLOW_POLICY));
    setInboundRetryMaxAttempts(o.integer("inboundRetryMaxAttempts", DEFAULT_INBOUND_RETRY_MAX_ATTEMPTS));
    setInboundRetryInitialDelayMillis(o.longValue("inboundRetryInitialDelayMillis", DEFAULT_INBOUND_RETRY_INITIAL_DELAY_MILLIS));
    setInboundRetryMaxDelayMillis(o.longValue("inboundRetryMaxDelayMillis", DEFAULT_INBOUND_RETRY_MAX_DELAY_MILLIS));
    setInboundFailurePolicy(o.enumValue("inboundFailurePolicy", InboundFailurePolicy.class, DEFAULT_INBOUND_FAILURE_POLICY));
  }

  /** Every option, defaults included. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("cluster", cluster)
      .put("client", client.toJson())
      .put("inbound", new JsonArray(inbound.stream().map(TopicMapping::toJson).toList()))
      .put("outbound", new JsonArray(outbound.stream().map(TopicMapping::toJson).toList()))
      .put("inboundRequests", new JsonArray(inboundRequests.stream().map(RequestMapping::toJson).toList()))
      .put("outboundRequests", new JsonArray(outboundRequests.stream().map(RequestMapping::toJson).toList()))
      .put("responseTopicPrefix", responseTopicPrefix)
      .put("requestTimeoutMillis", requestTimeoutMillis)
      .put("maxPendingRequests", maxPendingRequests)
      .put("outboundMaxInflight", outboundMaxInflight)
      .put("outboundBufferSize", outboundBufferSize)
      .put("outboundOverflowPolicy", outboundOverflowPolicy.name())
      .put("inboundRetryMaxAttempts", inboundRetryMaxAttempts)
      .put("inboundRetryInitialDelayMillis", inboundRetryInitialDelayMillis)
      .put("inboundRetryMaxDelayMillis", inboundRetryMaxDelayMillis)
      .put("inboundFailurePolicy", inboundFailurePolicy.name());
  }

  /**
   * The bridge's name: the client part of the origin of every message it puts on the bus (what its
   * loop prevention compares) and the {@code bridge} tag of its meters. Default {@code mqtt-bridge}.
   */
  public String getName() {
    return name;
  }

  public MqttBridgeOptions setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * The id of this cluster in the {@code flowsdk-visited} headers of loop prevention between
   * clusters ({@link io.flowsdk.busrelay.VisitedClusters}): outbound messages are marked with it, and
   * an inbound message that carries it is dropped. Default {@code null}: the Hazelcast cluster name
   * when clustered, otherwise the flow bus's node id. Give every cluster of a relay ring its own.
   */
  public String getCluster() {
    return cluster;
  }

  public MqttBridgeOptions setCluster(String cluster) {
    this.cluster = cluster;
    return this;
  }

  /** The broker connection: every {@link MqttClientOptions} option (host, port, version, TLS, auth, reconnect...). Default: the client's defaults. */
  public MqttClientOptions getClient() {
    return client;
  }

  public MqttBridgeOptions setClient(MqttClientOptions client) {
    this.client = new MqttClientOptions(client);
    return this;
  }

  /** Broker to bus: the bridge subscribes to each {@code broker} filter and publishes what arrives on the bus. Default none. */
  public List<TopicMapping> getInbound() {
    return inbound;
  }

  public MqttBridgeOptions setInbound(List<TopicMapping> inbound) {
    inbound.forEach(m -> TopicRewrite.of(m.getBroker(), m.getBus(), "inbound mapping " + m));
    this.inbound = copy(inbound, TopicMapping::new);
    return this;
  }

  /** Adds one broker-to-bus mapping. */
  public MqttBridgeOptions addInbound(TopicMapping mapping) {
    TopicRewrite.of(mapping.getBroker(), mapping.getBus(), "inbound mapping " + mapping);
    inbound.add(new TopicMapping(mapping));
    return this;
  }

  /** Bus to broker: the bridge subscribes to each {@code bus} filter on the flow bus and publishes to the broker. Default none. */
  public List<TopicMapping> getOutbound() {
    return outbound;
  }

  public MqttBridgeOptions setOutbound(List<TopicMapping> outbound) {
    outbound.forEach(m -> TopicRewrite.of(m.getBus(), m.getBroker(), "outbound mapping " + m));
    this.outbound = copy(outbound, TopicMapping::new);
    return this;
  }

  /** Adds one bus-to-broker mapping. */
  public MqttBridgeOptions addOutbound(TopicMapping mapping) {
    TopicRewrite.of(mapping.getBus(), mapping.getBroker(), "outbound mapping " + mapping);
    outbound.add(new TopicMapping(mapping));
    return this;
  }

  /** MQTT 5 requests from the broker, each answered by the bus responder of the address. Default none. */
  public List<RequestMapping> getInboundRequests() {
    return inboundRequests;
  }

  public MqttBridgeOptions setInboundRequests(List<RequestMapping> inboundRequests) {
    inboundRequests.forEach(m -> Topics.validateFilter(m.getBroker()));
    this.inboundRequests = copy(inboundRequests, RequestMapping::new);
    return this;
  }

  /** Adds one broker-to-bus request mapping. */
  public MqttBridgeOptions addInboundRequest(RequestMapping mapping) {
    Topics.validateFilter(mapping.getBroker());
    inboundRequests.add(new RequestMapping(mapping));
    return this;
  }

  /** Bus addresses the bridge serves by sending each request to a broker topic as an MQTT 5 request. Default none. */
  public List<RequestMapping> getOutboundRequests() {
    return outboundRequests;
  }

  public MqttBridgeOptions setOutboundRequests(List<RequestMapping> outboundRequests) {
    outboundRequests.forEach(m -> Topics.validateName(m.getBroker()));
    this.outboundRequests = copy(outboundRequests, RequestMapping::new);
    return this;
  }

  /** Adds one bus-to-broker request mapping. */
  public MqttBridgeOptions addOutboundRequest(RequestMapping mapping) {
    Topics.validateName(mapping.getBroker());
    outboundRequests.add(new RequestMapping(mapping));
    return this;
  }

  /**
   * Replies to outbound requests are asked for on {@code <responseTopicPrefix>/<random id>}, a topic of
   * this bridge instance alone. Default {@code flowsdk/responses}.
   */
  public String getResponseTopicPrefix() {
    return responseTopicPrefix;
  }

  public MqttBridgeOptions setResponseTopicPrefix(String responseTopicPrefix) {
    Topics.validateName(responseTopicPrefix);
    this.responseTopicPrefix = responseTopicPrefix;
    return this;
  }

  /**
   * How long the bridge waits for the answer of a request in either direction: a broker reply to an
   * outbound request, a bus responder for an inbound one. The requester's own timeout applies too.
   * Default 10000.
   */
  public long getRequestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  public MqttBridgeOptions setRequestTimeoutMillis(long requestTimeoutMillis) {
    this.requestTimeoutMillis = checkRange(OWNER, "requestTimeoutMillis", requestTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Requests waiting for an answer, per direction; beyond it a request is answered {@code OVERLOADED} at once (counted). Default 1000. */
  public int getMaxPendingRequests() {
    return maxPendingRequests;
  }

  public MqttBridgeOptions setMaxPendingRequests(int maxPendingRequests) {
    this.maxPendingRequests = (int) checkRange(OWNER, "maxPendingRequests", maxPendingRequests, 1, 1_000_000);
    return this;
  }

  /** Bus messages of one outbound mapping being published to the broker at once (the bus subscription's {@code maxInflight}). Default 256. */
  public int getOutboundMaxInflight() {
    return outboundMaxInflight;
  }

  public MqttBridgeOptions setOutboundMaxInflight(int outboundMaxInflight) {
    this.outboundMaxInflight = (int) checkRange(OWNER, "outboundMaxInflight", outboundMaxInflight, 1, 65_535);
    return this;
  }

  /** Bus messages of one outbound mapping waiting behind those (the bus subscription's {@code bufferSize}). Default 4096. */
  public int getOutboundBufferSize() {
    return outboundBufferSize;
  }

  public MqttBridgeOptions setOutboundBufferSize(int outboundBufferSize) {
    this.outboundBufferSize = (int) checkRange(OWNER, "outboundBufferSize", outboundBufferSize, 1, 10_000_000);
    return this;
  }

  /**
   * What an outbound mapping drops when its buffer is full (the broker is slower than the bus); a
   * dropped QoS 1/2 message fails its bus publisher with {@code OVERLOADED}. Default {@code DROP_OLDEST}.
   */
  public OverflowPolicy getOutboundOverflowPolicy() {
    return outboundOverflowPolicy;
  }

  public MqttBridgeOptions setOutboundOverflowPolicy(OverflowPolicy outboundOverflowPolicy) {
    this.outboundOverflowPolicy = Objects.requireNonNull(outboundOverflowPolicy, "outboundOverflowPolicy");
    return this;
  }

  /**
   * Attempts in all of the bus publish of a QoS 1/2 inbound message while the bus fails it with a
   * retriable error ({@code OVERLOADED}, {@code TIMEOUT}, {@code DISCONNECTED}, {@code NO_ROUTE});
   * the broker's acknowledgement waits meanwhile. 1 = no retry. Default 5.
   */
  public int getInboundRetryMaxAttempts() {
    return inboundRetryMaxAttempts;
  }

  public MqttBridgeOptions setInboundRetryMaxAttempts(int inboundRetryMaxAttempts) {
    this.inboundRetryMaxAttempts = (int) checkRange(OWNER, "inboundRetryMaxAttempts", inboundRetryMaxAttempts, 1, 1_000);
    return this;
  }

  /** The delay before the first retry of an inbound bus publish; it doubles per retry, half of it random. Default 100. */
  public long getInboundRetryInitialDelayMillis() {
    return inboundRetryInitialDelayMillis;
  }

  public MqttBridgeOptions setInboundRetryInitialDelayMillis(long inboundRetryInitialDelayMillis) {
    this.inboundRetryInitialDelayMillis = checkRange(OWNER, "inboundRetryInitialDelayMillis", inboundRetryInitialDelayMillis,
      1, 600_000);
    return this;
  }

  /** The cap of the delay between retries of an inbound bus publish. Default 2000. */
  public long getInboundRetryMaxDelayMillis() {
    return inboundRetryMaxDelayMillis;
  }

  public MqttBridgeOptions setInboundRetryMaxDelayMillis(long inboundRetryMaxDelayMillis) {
    this.inboundRetryMaxDelayMillis = checkRange(OWNER, "inboundRetryMaxDelayMillis", inboundRetryMaxDelayMillis, 1, 600_000);
    return this;
  }

  /**
   * What the broker is told when the bus still does not take a QoS 1/2 inbound message after the
   * retries: {@code REDELIVER} (no acknowledgement; the client reconnects and the broker sends it
   * again) or {@code REJECT} (MQTT 5 only: an error reason code). Default {@code REDELIVER}.
   */
  public InboundFailurePolicy getInboundFailurePolicy() {
    return inboundFailurePolicy;
  }

  public MqttBridgeOptions setInboundFailurePolicy(InboundFailurePolicy inboundFailurePolicy) {
    this.inboundFailurePolicy = Objects.requireNonNull(inboundFailurePolicy, "inboundFailurePolicy");
    return this;
  }

  private static <T> List<T> copy(List<T> items, Function<T, T> copier) {
    List<T> copy = new ArrayList<>(items.size());
    items.forEach(i -> copy.add(copier.apply(i)));
    return copy;
  }
}
