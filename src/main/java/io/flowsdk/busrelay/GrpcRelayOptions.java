package io.flowsdk.busrelay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.topic.TopicRewrite;
import io.flowsdk.util.ClientTls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link GrpcRelayVerticle}: the remote FlowSDK cluster's gRPC gateway, the topic
 * mappings in each direction (the bridge's {@link TopicMapping}, whose {@code broker} side is here
 * the remote cluster's bus), loop prevention ({@code cluster}, {@code remoteCluster}) and the bounded
 * store-and-forward buffer. The JSON form is documented in {@code docs/bus-relay.md}; unknown keys
 * and mappings whose filters cannot be rewritten into each other fail with {@code INVALID}.
 */
public class GrpcRelayOptions {

  private static final String OWNER = "GrpcRelayOptions";
  public static final String DEFAULT_NAME = "grpc-relay";
  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = GrpcGatewayOptions.DEFAULT_PORT;
  public static final int DEFAULT_BUFFER_MAX_MESSAGES = 10_000;
  public static final long DEFAULT_BUFFER_MAX_BYTES = 16L * 1024 * 1024;
  public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP_OLDEST;
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MILLIS = 1_000;
  public static final long DEFAULT_RECONNECT_MAX_DELAY_MILLIS = 60_000;
  public static final double DEFAULT_RECONNECT_JITTER = 0.5;

  private String name = DEFAULT_NAME;
  private String cluster;
  private String remoteCluster;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String token;
  private boolean tls;
  private String tlsCaPath;
  private String tlsCertPath;
  private String tlsKeyPath;
  private List<TopicMapping> outbound = new ArrayList<>();
  private List<TopicMapping> inbound = new ArrayList<>();
  private int bufferMaxMessages = DEFAULT_BUFFER_MAX_MESSAGES;
  private long bufferMaxBytes = DEFAULT_BUFFER_MAX_BYTES;
  private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;
  private BackoffOptions reconnect =
    new BackoffOptions(DEFAULT_RECONNECT_INITIAL_DELAY_MILLIS, DEFAULT_RECONNECT_MAX_DELAY_MILLIS, DEFAULT_RECONNECT_JITTER);

  public GrpcRelayOptions() {
  }

  public GrpcRelayOptions(GrpcRelayOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types, values out of range and unmappable filters fail with {@code INVALID}. */
  public GrpcRelayOptions(JsonObject json) {
    JsonOptions.rejectMoved(json, OWNER, Map.of("reconnectInitialDelayMillis", "reconnect.initialMillis",
      "reconnectMaxDelayMillis", "reconnect.maxMillis", "reconnectJitter", "reconnect.jitter"));
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "cluster", "remoteCluster", "host", "port", "token", "tls", "tlsCaPath",
      "tlsCertPath", "tlsKeyPath", "outbound",
      "inbound", "bufferMaxMessages", "bufferMaxBytes", "overflowPolicy", "reconnect");
    setName(o.string("name", DEFAULT_NAME));
    setCluster(o.string("cluster", null));
    setRemoteCluster(o.string("remoteCluster", null));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setToken(o.string("token", null));
    setTls(o.bool("tls", false));
    setTlsCaPath(o.string("tlsCaPath", null));
    setTlsCertPath(o.string("tlsCertPath", null));
    setTlsKeyPath(o.string("tlsKeyPath", null));
    if (tlsCertPath != null && !tls) {
      throw new FlowException(FlowError.INVALID, OWNER + ": tlsCertPath (mutual TLS) needs tls=true");
    }
    clientTls();
    setOutbound(o.objects("outbound", TopicMapping::new).orElse(List.of()));
    setInbound(o.objects("inbound", TopicMapping::new).orElse(List.of()));
    setBufferMaxMessages(o.integer("bufferMaxMessages", DEFAULT_BUFFER_MAX_MESSAGES));
    setBufferMaxBytes(o.longValue("bufferMaxBytes", DEFAULT_BUFFER_MAX_BYTES));
    setOverflowPolicy(o.enumValue("overflowPolicy", OverflowPolicy.class, DEFAULT_OVERFLOW_POLICY));
    Optional.ofNullable(o.object("reconnect"))
      .ifPresent(backoff -> setReconnect(new BackoffOptions(backoff, OWNER + ".reconnect", reconnect)));
  }

  /** Every option, defaults included. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("cluster", cluster)
      .put("remoteCluster", remoteCluster)
      .put("host", host)
      .put("port", port)
      .put("token", token)
      .put("tls", tls)
      .put("tlsCaPath", tlsCaPath)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("outbound", new JsonArray(outbound.stream().map(TopicMapping::toJson).toList()))
      .put("inbound", new JsonArray(inbound.stream().map(TopicMapping::toJson).toList()))
      .put("bufferMaxMessages", bufferMaxMessages)
      .put("bufferMaxBytes", bufferMaxBytes)
      .put("overflowPolicy", overflowPolicy.name())
      .put("reconnect", reconnect.toJson());
  }

  /** The relay's name: the client part of the origin of what it publishes on the bus, and the {@code relay} tag of its meters. Default {@code grpc-relay}. */
  public String getName() {
    return name;
  }

  public GrpcRelayOptions setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * This cluster's id in the {@code flowsdk-visited} marks ({@link VisitedClusters}). Default
   * {@code null}: the Hazelcast cluster name when clustered, otherwise the flow bus's node id.
   */
  public String getCluster() {
    return cluster;
  }

  public GrpcRelayOptions setCluster(String cluster) {
    this.cluster = cluster;
    return this;
  }

  /**
   * The remote cluster's id (its {@code cluster}): an outbound message marked with it is not sent
   * there again, and an inbound one is marked with it. Default {@code null}: unknown, so only the
   * receiving side can stop a loop — set it on relays that push into a ring.
   */
  public String getRemoteCluster() {
    return remoteCluster;
  }

  public GrpcRelayOptions setRemoteCluster(String remoteCluster) {
    this.remoteCluster = remoteCluster;
    return this;
  }

  /**
   * Host of the remote gRPC gateway. With {@code tls} its certificate must be issued for this name or IP
   * address (the server-name check). Default {@code localhost}.
   */
  public String getHost() {
    return host;
  }

  public GrpcRelayOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /** Port of the remote gRPC gateway. Default 50051. */
  public int getPort() {
    return port;
  }

  public GrpcRelayOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 1, 65535);
    return this;
  }

  /** Bearer token sent as {@code authorization: Bearer <token>} to a gateway with tokens. Default {@code null}: none. */
  public String getToken() {
    return token;
  }

  public GrpcRelayOptions setToken(String token) {
    this.token = token;
    return this;
  }

  /** Whether the streams to the remote gateway use TLS (HTTP/2 with ALPN, the gateway's {@code tls}). Default false: plaintext. */
  public boolean isTls() {
    return tls;
  }

  public GrpcRelayOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /** PEM CA certificates the gateway's certificate must chain to. Default {@code null}: the JVM's trust store. */
  public String getTlsCaPath() {
    return tlsCaPath;
  }

  public GrpcRelayOptions setTlsCaPath(String tlsCaPath) {
    this.tlsCaPath = tlsCaPath;
    return this;
  }

  /** PEM certificate chain the relay presents to a gateway that asks for one (mutual TLS), with {@code tlsKeyPath}. Default none. */
  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public GrpcRelayOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  /** PEM private key of {@code tlsCertPath}. Default none. */
  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  public GrpcRelayOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  /**
   * The TLS settings of the client, empty without {@code tls}; fails with {@code INVALID} when only one
   * of {@code tlsCertPath} and {@code tlsKeyPath} is set.
   */
  public Optional<ClientTls> clientTls() {
    return tls ? Optional.of(new ClientTls(tlsCaPath, tlsCertPath, tlsKeyPath)) : Optional.empty();
  }

  /** Local bus → remote mappings: {@code bus} is subscribed here, {@code broker} is the remote bus's filter. Default none. */
  public List<TopicMapping> getOutbound() {
    return outbound;
  }

  public GrpcRelayOptions setOutbound(List<TopicMapping> outbound) {
    outbound.forEach(m -> TopicRewrite.of(m.getBus(), m.getBroker(), "outbound mapping " + m));
    this.outbound = new ArrayList<>(outbound);
    return this;
  }

  public GrpcRelayOptions addOutbound(TopicMapping mapping) {
    List<TopicMapping> all = new ArrayList<>(outbound);
    all.add(mapping);
    return setOutbound(all);
  }

  /** Remote → local bus mappings: {@code broker} is subscribed at the remote gateway, {@code bus} is where it lands here. Default none. */
  public List<TopicMapping> getInbound() {
    return inbound;
  }

  public GrpcRelayOptions setInbound(List<TopicMapping> inbound) {
    inbound.forEach(m -> TopicRewrite.of(m.getBroker(), m.getBus(), "inbound mapping " + m));
    this.inbound = new ArrayList<>(inbound);
    return this;
  }

  public GrpcRelayOptions addInbound(TopicMapping mapping) {
    List<TopicMapping> all = new ArrayList<>(inbound);
    all.add(mapping);
    return setInbound(all);
  }

  /** Outbound messages held while the remote is down or has no credit left. Default 10000. */
  public int getBufferMaxMessages() {
    return bufferMaxMessages;
  }

  public GrpcRelayOptions setBufferMaxMessages(int bufferMaxMessages) {
    this.bufferMaxMessages = (int) checkRange(OWNER, "bufferMaxMessages", bufferMaxMessages, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Payload bytes held in the buffer. Default 16 MiB. */
  public long getBufferMaxBytes() {
    return bufferMaxBytes;
  }

  public GrpcRelayOptions setBufferMaxBytes(long bufferMaxBytes) {
    this.bufferMaxBytes = checkRange(OWNER, "bufferMaxBytes", bufferMaxBytes, 1, Long.MAX_VALUE);
    return this;
  }

  /** What a full buffer drops; a dropped QoS 1/2 message fails its publisher with {@code OVERLOADED}. Default {@code DROP_OLDEST}. */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  public GrpcRelayOptions setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
    return this;
  }

  /**
   * How long the relay waits before it opens a failed stream again: {@code initialMillis} after the first
   * failure, doubled per failed attempt up to {@code maxMillis}, the fraction {@code jitter} of it random.
   * Default {@value #DEFAULT_RECONNECT_INITIAL_DELAY_MILLIS}, up to {@value #DEFAULT_RECONNECT_MAX_DELAY_MILLIS},
   * {@value #DEFAULT_RECONNECT_JITTER} random.
   */
  public BackoffOptions getReconnect() {
    return reconnect;
  }

  public GrpcRelayOptions setReconnect(BackoffOptions reconnect) {
    this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    return this;
  }
}
