package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerSetOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link MqttBroker}: its listeners and its per-session bounds. The JSON form is the
 * {@code config} of {@code verticles/mqtt-broker.json}.
 */
public class MqttBrokerOptions implements ListenerSetOptions {

  public static final int DEFAULT_MAX_PACKET_BYTES = 1024 * 1024;
  public static final int DEFAULT_RECEIVE_MAXIMUM = 64;
  public static final int DEFAULT_MAX_INFLIGHT = 64;
  public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1000;
  public static final OverflowPolicy DEFAULT_QUEUE_OVERFLOW_POLICY = OverflowPolicy.DROP_OLDEST;
  public static final long DEFAULT_MAX_SESSION_EXPIRY_SECONDS = 86_400;
  public static final int DEFAULT_TOPIC_ALIAS_MAXIMUM = 16;
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
  public static final String DEFAULT_RETAINED_MAP = "flowsdk.mqtt.retained";
  public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
  public static final int DEFAULT_MAX_CLIENT_ID_LENGTH = 256;
  public static final int DEFAULT_MAX_TOPIC_LENGTH = 65_535;
  public static final int DEFAULT_MAX_TOPIC_LEVELS = 128;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT = 1000;
  public static final int DEFAULT_PUBLISH_RATE_PER_SECOND = 0;
  public static final int DEFAULT_PUBLISH_BURST = 100;
  public static final int DEFAULT_SYS_INTERVAL_SECONDS = 10;
  public static final int DEFAULT_TAKEOVER_TIMEOUT_MILLIS = 5000;
  public static final int DEFAULT_MAX_RETAINED_MESSAGES = 1_000_000;
  public static final long DEFAULT_MAX_RETAINED_BYTES = 1L << 30;

  private static final String OWNER = "MqttBrokerOptions";

  private final List<MqttListenerOptions> listeners = new ArrayList<>(List.of(new MqttListenerOptions()));
  private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
  private int receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
  private OverflowPolicy queueOverflowPolicy = DEFAULT_QUEUE_OVERFLOW_POLICY;
  private boolean queueBackpressure;
  private long maxSessionExpirySeconds = DEFAULT_MAX_SESSION_EXPIRY_SECONDS;
  private int topicAliasMaximum = DEFAULT_TOPIC_ALIAS_MAXIMUM;
  private int connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
  private String retainedMap = DEFAULT_RETAINED_MAP;
  private final List<MqttUserOptions> users = new ArrayList<>();
  private final List<MqttAclRuleOptions> acl = new ArrayList<>();
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxClientIdLength = DEFAULT_MAX_CLIENT_ID_LENGTH;
  private int maxTopicLength = DEFAULT_MAX_TOPIC_LENGTH;
  private int maxTopicLevels = DEFAULT_MAX_TOPIC_LEVELS;
  private int maxSubscriptionsPerClient = DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT;
  private int publishRatePerSecond = DEFAULT_PUBLISH_RATE_PER_SECOND;
  private int publishBurst = DEFAULT_PUBLISH_BURST;
  private int sysIntervalSeconds = DEFAULT_SYS_INTERVAL_SECONDS;
  private int takeoverTimeoutMillis = DEFAULT_TAKEOVER_TIMEOUT_MILLIS;
  private int maxRetainedMessages = DEFAULT_MAX_RETAINED_MESSAGES;
  private long maxRetainedBytes = DEFAULT_MAX_RETAINED_BYTES;
  private String retainedStorePath;
  private String sessionStorePath;

  public MqttBrokerOptions() {
  }

  public MqttBrokerOptions(MqttBrokerOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public MqttBrokerOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "listeners", "maxPacketBytes", "receiveMaximum", "maxInflight",
      "maxQueuedMessages", "queueOverflowPolicy", "queueBackpressure", "maxSessionExpirySeconds", "topicAliasMaximum",
      "connectTimeoutSeconds", "retainedMap", "users", "acl", "maxConnections", "maxClientIdLength", "maxTopicLength",
      "maxTopicLevels", "maxSubscriptionsPerClient", "publishRatePerSecond", "publishBurst", "sysIntervalSeconds",
      "takeoverTimeoutMillis", "maxRetainedMessages", "maxRetainedBytes", "retainedStorePath",
      "sessionStorePath");
    o.objects("listeners", MqttListenerOptions::new).ifPresent(this::setListeners);
    o.objects("users", MqttUserOptions::new).orElse(List.of()).forEach(this::addUser);
    o.objects("acl", MqttAclRuleOptions::new).orElse(List.of()).forEach(this::addAclRule);
    setMaxPacketBytes(o.integer("maxPacketBytes", DEFAULT_MAX_PACKET_BYTES));
    setReceiveMaximum(o.integer("receiveMaximum", DEFAULT_RECEIVE_MAXIMUM));
    setMaxInflight(o.integer("maxInflight", DEFAULT_MAX_INFLIGHT));
    setMaxQueuedMessages(o.integer("maxQueuedMessages", DEFAULT_MAX_QUEUED_MESSAGES));
    setQueueOverflowPolicy(o.enumValue("queueOverflowPolicy", OverflowPolicy.class, DEFAULT_QUEUE_OVERFLOW_POLICY));
    setQueueBackpressure(o.bool("queueBackpressure", false));
    setMaxSessionExpirySeconds(o.longValue("maxSessionExpirySeconds", DEFAULT_MAX_SESSION_EXPIRY_SECONDS));
    setTopicAliasMaximum(o.integer("topicAliasMaximum", DEFAULT_TOPIC_ALIAS_MAXIMUM));
    setConnectTimeoutSeconds(o.integer("connectTimeoutSeconds", DEFAULT_CONNECT_TIMEOUT_SECONDS));
    setRetainedMap(o.string("retainedMap", DEFAULT_RETAINED_MAP));
    setMaxConnections(o.integer("maxConnections", DEFAULT_MAX_CONNECTIONS));
    setMaxClientIdLength(o.integer("maxClientIdLength", DEFAULT_MAX_CLIENT_ID_LENGTH));
    setMaxTopicLength(o.integer("maxTopicLength", DEFAULT_MAX_TOPIC_LENGTH));
    setMaxTopicLevels(o.integer("maxTopicLevels", DEFAULT_MAX_TOPIC_LEVELS));
    setMaxSubscriptionsPerClient(o.integer("maxSubscriptionsPerClient", DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT));
    setPublishRatePerSecond(o.integer("publishRatePerSecond", DEFAULT_PUBLISH_RATE_PER_SECOND));
    setPublishBurst(o.integer("publishBurst", DEFAULT_PUBLISH_BURST));
    setSysIntervalSeconds(o.integer("sysIntervalSeconds", DEFAULT_SYS_INTERVAL_SECONDS));
    setTakeoverTimeoutMillis(o.integer("takeoverTimeoutMillis", DEFAULT_TAKEOVER_TIMEOUT_MILLIS));
    setMaxRetainedMessages(o.integer("maxRetainedMessages", DEFAULT_MAX_RETAINED_MESSAGES));
    setMaxRetainedBytes(o.longValue("maxRetainedBytes", DEFAULT_MAX_RETAINED_BYTES));
    setRetainedStorePath(o.string("retainedStorePath", null));
    setSessionStorePath(o.string("sessionStorePath", null));
  }

  public JsonObject toJson() {
    JsonArray listenerArray = new JsonArray();
    listeners.forEach(l -> listenerArray.add(l.toJson()));
    JsonArray userArray = new JsonArray();
    users.forEach(u -> userArray.add(u.toJson()));
    JsonArray aclArray = new JsonArray();
    acl.forEach(r -> aclArray.add(r.toJson()));
    return new JsonObject()
      .put("listeners", listenerArray)
      .put("maxPacketBytes", maxPacketBytes)
      .put("receiveMaximum", receiveMaximum)
      .put("maxInflight", maxInflight)
      .put("maxQueuedMessages", maxQueuedMessages)
      .put("queueOverflowPolicy", queueOverflowPolicy.name())
      .put("queueBackpressure", queueBackpressure)
      .put("maxSessionExpirySeconds", maxSessionExpirySeconds)
      .put("topicAliasMaximum", topicAliasMaximum)
      .put("connectTimeoutSeconds", connectTimeoutSeconds)
      .put("retainedMap", retainedMap)
      .put("users", userArray)
      .put("acl", aclArray)
      .put("maxConnections", maxConnections)
      .put("maxClientIdLength", maxClientIdLength)
      .put("maxTopicLength", maxTopicLength)
      .put("maxTopicLevels", maxTopicLevels)
      .put("maxSubscriptionsPerClient", maxSubscriptionsPerClient)
      .put("publishRatePerSecond", publishRatePerSecond)
      .put("publishBurst", publishBurst)
      .put("sysIntervalSeconds", sysIntervalSeconds)
      .put("takeoverTimeoutMillis", takeoverTimeoutMillis)
      .put("maxRetainedMessages", maxRetainedMessages)
      .put("maxRetainedBytes", maxRetainedBytes)
      .put("retainedStorePath", retainedStorePath)
      .put("sessionStorePath", sessionStorePath);
  }

  /** Where the broker listens. Default one TCP listener on 127.0.0.1:1883. */
  @Override
  public List<MqttListenerOptions> getListeners() {
    return listeners;
  }

  public MqttBrokerOptions setListeners(List<MqttListenerOptions> listeners) {
    if (listeners.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'listeners' of " + OWNER + " needs at least one listener");
    }
    this.listeners.clear();
    this.listeners.addAll(listeners);
    return this;
  }

  public MqttBrokerOptions addListener(MqttListenerOptions listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Largest MQTT packet accepted from a client, and announced to MQTT 5 clients as the server's
   * Maximum Packet Size; a bigger one closes the connection. Default 1 MiB.
   */
  public int getMaxPacketBytes() {
    return maxPacketBytes;
  }

  public MqttBrokerOptions setMaxPacketBytes(int maxPacketBytes) {
    this.maxPacketBytes = (int) checkRange(OWNER, "maxPacketBytes", maxPacketBytes, 64, 268_435_455);
    return this;
  }

  /**
   * QoS 1 and 2 publishes a client may have unacknowledged at once (the server's Receive Maximum);
   * one more is a protocol error (MQTT 5: DISCONNECT 0x93). Default 64.
   */
  public int getReceiveMaximum() {
    return receiveMaximum;
  }

  public MqttBrokerOptions setReceiveMaximum(int receiveMaximum) {
    this.receiveMaximum = (int) checkRange(OWNER, "receiveMaximum", receiveMaximum, 1, 65_535);
    return this;
  }

  /**
   * QoS 1 and 2 deliveries sent to a client and not yet acknowledged, at most; the client's own
   * Receive Maximum lowers it. The rest wait in the session queue. Default 64.
   */
  public int getMaxInflight() {
    return maxInflight;
  }

  public MqttBrokerOptions setMaxInflight(int maxInflight) {
    this.maxInflight = (int) checkRange(OWNER, "maxInflight", maxInflight, 1, 65_535);
    return this;
  }

  /** Messages a session holds beyond its in-flight window, online or offline. Default 1000. */
  public int getMaxQueuedMessages() {
    return maxQueuedMessages;
  }

  public MqttBrokerOptions setMaxQueuedMessages(int maxQueuedMessages) {
    this.maxQueuedMessages = (int) checkRange(OWNER, "maxQueuedMessages", maxQueuedMessages, 1, 10_000_000);
    return this;
  }

  /** Which message a full session queue drops (counted). Default {@code DROP_OLDEST}. */
  public OverflowPolicy getQueueOverflowPolicy() {
    return queueOverflowPolicy;
  }

  public MqttBrokerOptions setQueueOverflowPolicy(OverflowPolicy queueOverflowPolicy) {
    this.queueOverflowPolicy = queueOverflowPolicy;
    return this;
  }

  /**
   * Whether a QoS 1/2 message for a connected client whose queue is full waits for room instead of
   * the overflow policy dropping one: its publisher's acknowledgement waits too, so publishers slow
   * to the pace of the slowest such subscriber, and a QoS 0 one is dropped rather than displacing
   * one. Away clients' queues still follow the overflow policy. Default false.
   */
  public boolean isQueueBackpressure() {
    return queueBackpressure;
  }

  public MqttBrokerOptions setQueueBackpressure(boolean queueBackpressure) {
    this.queueBackpressure = queueBackpressure;
    return this;
  }

  /**
   * Longest a session outlives its connection; caps a client's Session Expiry Interval and is the
   * expiry of an MQTT 3.1.1 session with clean session 0. Default 86400 (one day).
   */
  public long getMaxSessionExpirySeconds() {
    return maxSessionExpirySeconds;
  }

  public MqttBrokerOptions setMaxSessionExpirySeconds(long maxSessionExpirySeconds) {
    this.maxSessionExpirySeconds = checkRange(OWNER, "maxSessionExpirySeconds", maxSessionExpirySeconds, 0, 0xFFFF_FFFFL);
    return this;
  }

  /** Topic aliases an MQTT 5 client may set per connection (0: none). Default 16. */
  public int getTopicAliasMaximum() {
    return topicAliasMaximum;
  }

  public MqttBrokerOptions setTopicAliasMaximum(int topicAliasMaximum) {
    this.topicAliasMaximum = (int) checkRange(OWNER, "topicAliasMaximum", topicAliasMaximum, 0, 65_535);
    return this;
  }

  /** Seconds a new connection has to send CONNECT before it is closed. Default 10. */
  public int getConnectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  public MqttBrokerOptions setConnectTimeoutSeconds(int connectTimeoutSeconds) {
    this.connectTimeoutSeconds = (int) checkRange(OWNER, "connectTimeoutSeconds", connectTimeoutSeconds, 1, 3600);
    return this;
  }

  /** Name of the cluster-wide map (Hazelcast when clustered) holding retained messages. Default {@code flowsdk.mqtt.retained}. */
  public String getRetainedMap() {
    return retainedMap;
  }

  public MqttBrokerOptions setRetainedMap(String retainedMap) {
    this.retainedMap = retainedMap;
    return this;
  }

  /**
   * Users who may connect with a username and password. Default none: a username is then taken as
   * given, and a password is not checked; with users, an unknown username or a wrong password gets
   * CONNACK 0x86 (MQTT 3.1.1: 0x04).
   */
  public List<MqttUserOptions> getUsers() {
    return users;
  }

  public MqttBrokerOptions addUser(MqttUserOptions user) {
    user.validate();
    users.add(user);
    return this;
  }

  /** The access control list. Default none: every client may do everything; with rules, what no rule permits is denied. */
  public List<MqttAclRuleOptions> getAcl() {
    return acl;
  }

  public MqttBrokerOptions addAclRule(MqttAclRuleOptions rule) {
    rule.validate();
    acl.add(rule);
    return this;
  }

  /**
   * How long a connection waits for the node that served its session to hand it over (the other
   * node's client is disconnected and its journal written); after that (the node crashed or hangs)
   * the session is resumed from what the cluster stored. Default 5000.
   */
  public int getTakeoverTimeoutMillis() {
    return takeoverTimeoutMillis;
  }

  public MqttBrokerOptions setTakeoverTimeoutMillis(int takeoverTimeoutMillis) {
    this.takeoverTimeoutMillis = (int) checkRange(OWNER, "takeoverTimeoutMillis", takeoverTimeoutMillis, 100, 600_000);
    return this;
  }

  /**
   * Clients connected to this node at once, at most; one more gets CONNACK 0x97 Quota exceeded
   * (MQTT 3.1.1: 0x03 Server unavailable). Default 100000.
   */
  public int getMaxConnections() {
    return maxConnections;
  }

  public MqttBrokerOptions setMaxConnections(int maxConnections) {
    this.maxConnections = (int) checkRange(OWNER, "maxConnections", maxConnections, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Longest client id in characters; a longer one gets CONNACK 0x85 (MQTT 3.1.1: 0x02). Default 256. */
  public int getMaxClientIdLength() {
    return maxClientIdLength;
  }

  public MqttBrokerOptions setMaxClientIdLength(int maxClientIdLength) {
    this.maxClientIdLength = (int) checkRange(OWNER, "maxClientIdLength", maxClientIdLength, 23, 65_535);
    return this;
  }

  /**
   * Longest topic name or filter in UTF-8 bytes. Default 65535 (MQTT's own limit). What exceeds it
   * is refused as {@link #getMaxTopicLevels()} says.
   */
  public int getMaxTopicLength() {
    return maxTopicLength;
  }

  public MqttBrokerOptions setMaxTopicLength(int maxTopicLength) {
    this.maxTopicLength = (int) checkRange(OWNER, "maxTopicLength", maxTopicLength, 1, 65_535);
    return this;
  }

  /**
   * Most levels in a topic name or filter. A PUBLISH beyond this or {@link #getMaxTopicLength()} is
   * not accepted: MQTT 5 PUBACK 0x90 at QoS 1, DISCONNECT 0x90 at QoS 2; dropped at QoS 0 and on
   * MQTT 3.1.1 (acknowledged); a SUBSCRIBE gets SUBACK 0x8F (MQTT 3.1.1: 0x80). Default 128.
   */
  public int getMaxTopicLevels() {
    return maxTopicLevels;
  }

  public MqttBrokerOptions setMaxTopicLevels(int maxTopicLevels) {
    this.maxTopicLevels = (int) checkRange(OWNER, "maxTopicLevels", maxTopicLevels, 1, 32_768);
    return this;
  }

  /** Subscriptions one session holds at most; one more gets SUBACK 0x97 (MQTT 3.1.1: 0x80). Default 1000. */
  public int getMaxSubscriptionsPerClient() {
    return maxSubscriptionsPerClient;
  }

  public MqttBrokerOptions setMaxSubscriptionsPerClient(int maxSubscriptionsPerClient) {
    this.maxSubscriptionsPerClient = (int) checkRange(OWNER, "maxSubscriptionsPerClient", maxSubscriptionsPerClient, 1, 1_000_000);
    return this;
  }

  /**
   * PUBLISH packets a connection may send per second on average (a token bucket of
   * {@link #getPublishBurst()}); one more closes the connection, MQTT 5 clients hearing DISCONNECT
   * 0x96 Message rate too high first. 0: no limit. Default 0.
   */
  public int getPublishRatePerSecond() {
    return publishRatePerSecond;
  }

  public MqttBrokerOptions setPublishRatePerSecond(int publishRatePerSecond) {
    this.publishRatePerSecond = (int) checkRange(OWNER, "publishRatePerSecond", publishRatePerSecond, 0, 10_000_000);
    return this;
  }

  /** PUBLISH packets a connection may send at once above its rate (the bucket's size). Default 100. */
  public int getPublishBurst() {
    return publishBurst;
  }

  public MqttBrokerOptions setPublishBurst(int publishBurst) {
    this.publishBurst = (int) checkRange(OWNER, "publishBurst", publishBurst, 1, 10_000_000);
    return this;
  }

  /** Seconds between the node's {@code $SYS/broker/...} updates; 0: none. Default 10. */
  public int getSysIntervalSeconds() {
    return sysIntervalSeconds;
  }

  public MqttBrokerOptions setSysIntervalSeconds(int sysIntervalSeconds) {
    this.sysIntervalSeconds = (int) checkRange(OWNER, "sysIntervalSeconds", sysIntervalSeconds, 0, 86_400);
    return this;
  }

  /**
   * Retained messages the cluster holds at most (one per topic). At the cap a retained publish to a
   * topic without one is refused, from MQTT or the bus (MQTT 5: 0x97, counted in
   * {@code _retained_refused_total{limit="messages"}}); replacing
   * or clearing one still works. Publishes from several nodes at the same moment may pass the cap by
   * their number. Default 1000000.
   */
  public int getMaxRetainedMessages() {
    return maxRetainedMessages;
  }

  public MqttBrokerOptions setMaxRetainedMessages(int maxRetainedMessages) {
    this.maxRetainedMessages = (int) checkRange(OWNER, "maxRetainedMessages", maxRetainedMessages, 1, 100_000_000);
    return this;
  }

  /**
   * Bytes of retained messages the cluster holds at most, counting each as its topic's UTF-8 bytes
   * plus its payload's; the same rules as {@link #getMaxRetainedMessages()} (a new topic that would
   * pass the cap is refused, counted in {@code _retained_refused_total{limit="bytes"}}; replacing or
   * clearing always works; {@code $SYS} is never refused). Default 1073741824 (1 GiB).
   */
  public long getMaxRetainedBytes() {
    return maxRetainedBytes;
  }

  public MqttBrokerOptions setMaxRetainedBytes(long maxRetainedBytes) {
    this.maxRetainedBytes = checkRange(OWNER, "maxRetainedBytes", maxRetainedBytes, 1, Long.MAX_VALUE);
    return this;
  }

  /**
   * The embedded store file ({@code FlowStore}, H2 MVStore) that keeps a standalone node's retained
   * messages across restarts and crashes: a retained publish is acknowledged once it is on disk, and
   * the broker reads the file back when it starts. One broker process per file. Ignored in a cluster,
   * where they live in Hazelcast. Default none: in memory only.
   */
  public String getRetainedStorePath() {
    return retainedStorePath;
  }

  public MqttBrokerOptions setRetainedStorePath(String retainedStorePath) {
    this.retainedStorePath = retainedStorePath;
    return this;
  }

  /**
   * The embedded store file ({@code FlowStore}, H2 MVStore) that keeps a standalone node's persistent
   * sessions (Session Expiry above 0, or MQTT 3.1.1 clean session 0) across restarts and crashes: their
   * subscriptions, when their clients left, and their journaled QoS 1/2 deliveries and QoS 2 packet ids
   * awaiting PUBREL, each written before it is acknowledged. On start the broker reads the file back,
   * ends the sessions whose expiry ran out meanwhile and serves the others again. A file of its own:
   * not the {@link #getRetainedStorePath() retained store's} (one store opens a file), one broker
   * process per file. Ignored in a cluster, where sessions live in Hazelcast. Default none: in memory only.
   */
  public String getSessionStorePath() {
    return sessionStorePath;
  }

  public MqttBrokerOptions setSessionStorePath(String sessionStorePath) {
    this.sessionStorePath = sessionStorePath;
    return this;
  }
}
