package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link MqttProxyVerticle}: its MQTT listeners and limits, as every MQTT edge's
 * ({@link MqttEdgeOptions}), the brokers it forwards sessions to and how it picks one, the users and ACL
 * it enforces at the edge (as the broker's), per-client publish limits, and the timeouts of its broker
 * connections. The JSON form is the {@code config} of {@code verticles/mqtt-proxy.json}; see docs/relay.md.
 */
public class MqttProxyOptions extends MqttEdgeOptions<MqttProxyOptions> {

  public static final String DEFAULT_NAME = "mqtt-proxy";
  /** The port of a broker whose JSON form has none. */
  public static final int DEFAULT_BROKER_PORT = 1884;
  public static final int DEFAULT_VIRTUAL_NODES = 128;
  public static final long DEFAULT_BROKER_RETRY_INITIAL_MILLIS = 1_000;
  public static final long DEFAULT_BROKER_RETRY_MAX_MILLIS = 30_000;
  public static final double DEFAULT_BROKER_RETRY_JITTER = 0.2;
  public static final long DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final long DEFAULT_SLOW_CLIENT_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_PUBLISH_RATE_PER_SECOND = 0;
  public static final int DEFAULT_PUBLISH_BURST = 100;
  public static final long DEFAULT_PUBLISH_BYTES_PER_SECOND = 0;
  public static final long DEFAULT_PUBLISH_BYTES_BURST = 1024 * 1024;

  private static final String OWNER = "MqttProxyOptions";

  private final List<UpstreamAddressOptions> brokers =
    new ArrayList<>(List.of(new UpstreamAddressOptions(UpstreamAddressOptions.DEFAULT_HOST, DEFAULT_BROKER_PORT)));
  private int virtualNodes = DEFAULT_VIRTUAL_NODES;
  private BackoffOptions brokerRetry =
    new BackoffOptions(DEFAULT_BROKER_RETRY_INITIAL_MILLIS, DEFAULT_BROKER_RETRY_MAX_MILLIS, DEFAULT_BROKER_RETRY_JITTER);
  private boolean brokerTls;
  private String brokerTlsCaPath;
  private long brokerConnectTimeoutMillis = DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS;
  private long slowClientTimeoutMillis = DEFAULT_SLOW_CLIENT_TIMEOUT_MILLIS;
  private final List<MqttUserOptions> users = new ArrayList<>();
  private final List<MqttAclRuleOptions> acl = new ArrayList<>();
  private int publishRatePerSecond = DEFAULT_PUBLISH_RATE_PER_SECOND;
  private int publishBurst = DEFAULT_PUBLISH_BURST;
  private long publishBytesPerSecond = DEFAULT_PUBLISH_BYTES_PER_SECOND;
  private long publishBytesBurst = DEFAULT_PUBLISH_BYTES_BURST;

  public MqttProxyOptions() {
    super(OWNER, DEFAULT_NAME);
  }

  public MqttProxyOptions(MqttProxyOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public MqttProxyOptions(JsonObject json) {
    this();
    JsonOptions.rejectMoved(json, OWNER, Map.of("brokerRetryInitialMillis", "brokerRetry.initialMillis",
      "brokerRetryMaxMillis", "brokerRetry.maxMillis"));
    JsonOptions o = JsonOptions.read(json, OWNER, withEdgeKeys("brokers", "virtualNodes", "brokerRetry", "brokerTls", "brokerTlsCaPath", "brokerConnectTimeoutMillis", "slowClientTimeoutMillis",
      "users", "acl", "publishRatePerSecond", "publishBurst", "publishBytesPerSecond", "publishBytesBurst"));
    readEdgeOptions(o);
    o.objects("brokers", entry -> new UpstreamAddressOptions(entry, DEFAULT_BROKER_PORT)).ifPresent(this::setBrokers);
    setVirtualNodes(o.integer("virtualNodes", DEFAULT_VIRTUAL_NODES));
    Optional.ofNullable(o.object("brokerRetry"))
      .ifPresent(retry -> setBrokerRetry(new BackoffOptions(retry, OWNER + ".brokerRetry", brokerRetry)));
    setBrokerTls(o.bool("brokerTls", false));
    setBrokerTlsCaPath(o.string("brokerTlsCaPath", null));
    setBrokerConnectTimeoutMillis(o.longValue("brokerConnectTimeoutMillis", DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS));
    setSlowClientTimeoutMillis(o.longValue("slowClientTimeoutMillis", DEFAULT_SLOW_CLIENT_TIMEOUT_MILLIS));
    o.objects("users", MqttUserOptions::new).orElse(List.of()).forEach(this::addUser);
    o.objects("acl", MqttAclRuleOptions::new).orElse(List.of()).forEach(this::addAclRule);
    setPublishRatePerSecond(o.integer("publishRatePerSecond", DEFAULT_PUBLISH_RATE_PER_SECOND));
    setPublishBurst(o.integer("publishBurst", DEFAULT_PUBLISH_BURST));
    setPublishBytesPerSecond(o.longValue("publishBytesPerSecond", DEFAULT_PUBLISH_BYTES_PER_SECOND));
    setPublishBytesBurst(o.longValue("publishBytesBurst", DEFAULT_PUBLISH_BYTES_BURST));
    if (brokerTlsCaPath != null && !brokerTls) {
      throw new FlowException(FlowError.INVALID, OWNER + ": brokerTlsCaPath needs brokerTls=true");
    }
  }

  @Override
  public JsonObject toJson() {
    JsonArray brokerArray = new JsonArray();
    brokers.forEach(b -> brokerArray.add(b.toJson()));
    JsonArray userArray = new JsonArray();
    users.forEach(u -> userArray.add(u.toJson()));
    JsonArray aclArray = new JsonArray();
    acl.forEach(r -> aclArray.add(r.toJson()));
    return edgeJson()
      .put("brokers", brokerArray)
      .put("virtualNodes", virtualNodes)
      .put("brokerRetry", brokerRetry.toJson())
      .put("brokerTls", brokerTls)
      .put("brokerTlsCaPath", brokerTlsCaPath)
      .put("brokerConnectTimeoutMillis", brokerConnectTimeoutMillis)
      .put("slowClientTimeoutMillis", slowClientTimeoutMillis)
      .put("users", userArray)
      .put("acl", aclArray)
      .put("publishRatePerSecond", publishRatePerSecond)
      .put("publishBurst", publishBurst)
      .put("publishBytesPerSecond", publishBytesPerSecond)
      .put("publishBytesBurst", publishBytesBurst);
  }

  public List<UpstreamAddressOptions> getBrokers() {
    return brokers;
  }

  /**
   * The brokers sessions are forwarded to; each client id is placed on a consistent-hash ring of them.
   * At least one, each {@code host:port} once. Default one, localhost:1884.
   */
  public MqttProxyOptions setBrokers(List<UpstreamAddressOptions> brokers) {
    if (brokers.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'brokers' of " + OWNER + " needs at least one broker");
    }
    if (brokers.stream().map(UpstreamAddressOptions::toString).distinct().count() < brokers.size()) {
      throw new FlowException(FlowError.INVALID, "option 'brokers' of " + OWNER + " names a broker twice: " + brokers);
    }
    this.brokers.clear();
    this.brokers.addAll(brokers);
    return this;
  }

  public int getVirtualNodes() {
    return virtualNodes;
  }

  /**
   * Points each broker has on the hash ring: more spread the client ids more evenly (at 128, three brokers
   * got 6,699, 6,347 and 6,954 of 20,000 client ids: within 5 % of a third). Default {@value #DEFAULT_VIRTUAL_NODES}.
   */
  public MqttProxyOptions setVirtualNodes(int virtualNodes) {
    this.virtualNodes = (int) checkRange(OWNER, "virtualNodes", virtualNodes, 1, 10_000);
    return this;
  }

  public BackoffOptions getBrokerRetry() {
    return brokerRetry;
  }

  /**
   * How long a broker that refused or timed out is skipped by new sessions: {@code initialMillis} after its
   * first failure, doubled after each further failure in a row up to {@code maxMillis}, the fraction
   * {@code jitter} of it random. Default {@value #DEFAULT_BROKER_RETRY_INITIAL_MILLIS}, up to
   * {@value #DEFAULT_BROKER_RETRY_MAX_MILLIS}, {@value #DEFAULT_BROKER_RETRY_JITTER} random.
   */
  public MqttProxyOptions setBrokerRetry(BackoffOptions brokerRetry) {
    this.brokerRetry = Objects.requireNonNull(brokerRetry, "brokerRetry");
    return this;
  }

  public boolean isBrokerTls() {
    return brokerTls;
  }

  /** Whether the connections to the brokers use TLS (the broker's host name or IP is verified). Default false. */
  public MqttProxyOptions setBrokerTls(boolean brokerTls) {
    this.brokerTls = brokerTls;
    return this;
  }

  public String getBrokerTlsCaPath() {
    return brokerTlsCaPath;
  }

  /** PEM CA certificates the brokers' certificates must chain to; default none: the JVM's trust store. */
  public MqttProxyOptions setBrokerTlsCaPath(String brokerTlsCaPath) {
    this.brokerTlsCaPath = brokerTlsCaPath;
    return this;
  }

  public long getBrokerConnectTimeoutMillis() {
    return brokerConnectTimeoutMillis;
  }

  /**
   * How long the TCP (or TLS) connect to one broker may take (past it the next on the ring is tried), and
   * then how long the broker may take to answer CONNECT (past it the client gets CONNACK "Server
   * unavailable"). Default {@value #DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS}.
   */
  public MqttProxyOptions setBrokerConnectTimeoutMillis(long brokerConnectTimeoutMillis) {
    this.brokerConnectTimeoutMillis = checkRange(OWNER, "brokerConnectTimeoutMillis", brokerConnectTimeoutMillis, 1, 3_600_000);
    return this;
  }

  public long getSlowClientTimeoutMillis() {
    return slowClientTimeoutMillis;
  }

  /**
   * How long a client's socket may stay unwritable (its write buffer full, reading from its broker paused)
   * before the proxy closes that client. Default {@value #DEFAULT_SLOW_CLIENT_TIMEOUT_MILLIS}.
   */
  public MqttProxyOptions setSlowClientTimeoutMillis(long slowClientTimeoutMillis) {
    this.slowClientTimeoutMillis = checkRange(OWNER, "slowClientTimeoutMillis", slowClientTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /**
   * Users who may connect with a username and password, as the broker's {@code users}. Default none: a
   * username is then not checked (the client counts as anonymous, as far as the ACL goes).
   */
  public List<MqttUserOptions> getUsers() {
    return users;
  }

  public MqttProxyOptions addUser(MqttUserOptions user) {
    user.validate();
    users.add(user);
    return this;
  }

  /** The access control list, as the broker's {@code acl}. Default none: every client may publish and subscribe to everything. */
  public List<MqttAclRuleOptions> getAcl() {
    return acl;
  }

  public MqttProxyOptions addAclRule(MqttAclRuleOptions rule) {
    rule.validate();
    acl.add(rule);
    return this;
  }

  public int getPublishRatePerSecond() {
    return publishRatePerSecond;
  }

  /**
   * PUBLISH packets a second one client may send on average; one more ends its session (5.0: DISCONNECT
   * 0x96 Message rate too high). Default {@value #DEFAULT_PUBLISH_RATE_PER_SECOND}: no limit.
   */
  public MqttProxyOptions setPublishRatePerSecond(int publishRatePerSecond) {
    this.publishRatePerSecond = (int) checkRange(OWNER, "publishRatePerSecond", publishRatePerSecond, 0, 10_000_000);
    return this;
  }

  public int getPublishBurst() {
    return publishBurst;
  }

  /** PUBLISH packets a client may send at once beyond the rate. Default {@value #DEFAULT_PUBLISH_BURST}. */
  public MqttProxyOptions setPublishBurst(int publishBurst) {
    this.publishBurst = (int) checkRange(OWNER, "publishBurst", publishBurst, 1, 10_000_000);
    return this;
  }

  public long getPublishBytesPerSecond() {
    return publishBytesPerSecond;
  }

  /**
   * PUBLISH bytes (whole packets) a second one client may send on average; past it its session ends
   * (5.0: DISCONNECT 0x96). Default {@value #DEFAULT_PUBLISH_BYTES_PER_SECOND}: no limit.
   */
  public MqttProxyOptions setPublishBytesPerSecond(long publishBytesPerSecond) {
    this.publishBytesPerSecond = checkRange(OWNER, "publishBytesPerSecond", publishBytesPerSecond, 0, 1L << 40);
    return this;
  }

  public long getPublishBytesBurst() {
    return publishBytesBurst;
  }

  /**
   * PUBLISH bytes a client may send at once beyond the rate; a single packet larger than this still
   * passes when the client has been quiet. Default {@value #DEFAULT_PUBLISH_BYTES_BURST}.
   */
  public MqttProxyOptions setPublishBytesBurst(long publishBytesBurst) {
    this.publishBytesBurst = checkRange(OWNER, "publishBytesBurst", publishBytesBurst, 1, 1L << 40);
    return this;
  }
}
