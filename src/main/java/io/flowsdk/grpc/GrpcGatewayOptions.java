package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link GrpcGateway}: where it listens, its limits, TLS and bearer tokens. The JSON
 * form is the {@code config} of {@code verticles/grpc-gateway.json}.
 */
public class GrpcGatewayOptions implements ListenerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 50051;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_STREAM = 16;
  public static final int DEFAULT_STREAM_BUFFER_SIZE = 1000;
  public static final StreamOverflowPolicy DEFAULT_OVERFLOW_POLICY = StreamOverflowPolicy.DROP_OLDEST;
  public static final int DEFAULT_PUBLISH_WINDOW = 256;
  public static final int DEFAULT_MAX_UNACKED_DELIVERIES = 256;
  public static final long DEFAULT_REDELIVERY_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_REDELIVERIES = 5;
  public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
  public static final long DEFAULT_SERVE_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_MAX_PENDING_REQUESTS = 1000;
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 300_000;
  public static final long DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS = 10_000;

  private static final String OWNER = "GrpcGatewayOptions";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
  private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
  private int maxSubscriptionsPerStream = DEFAULT_MAX_SUBSCRIPTIONS_PER_STREAM;
  private int streamBufferSize = DEFAULT_STREAM_BUFFER_SIZE;
  private StreamOverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;
  private int publishWindow = DEFAULT_PUBLISH_WINDOW;
  private int maxUnackedDeliveries = DEFAULT_MAX_UNACKED_DELIVERIES;
  private long redeliveryTimeoutMillis = DEFAULT_REDELIVERY_TIMEOUT_MILLIS;
  private int maxRedeliveries = DEFAULT_MAX_REDELIVERIES;
  private long defaultRequestTimeoutMillis = DEFAULT_REQUEST_TIMEOUT_MILLIS;
  private long serveTimeoutMillis = DEFAULT_SERVE_TIMEOUT_MILLIS;
  private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
  private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
  private long requestHeaderTimeoutMillis = DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS;
  private boolean reflection = true;
  private boolean authenticateHealth;
  private boolean authenticateReflection = true;
  private boolean tls;
  private String tlsCertPath;
  private String tlsKeyPath;
  private String tlsClientCaPath;
  private ClientAuth clientAuth = ClientAuth.NONE;
  private final List<GrpcTokenOptions> tokens = new ArrayList<>();

  public GrpcGatewayOptions() {
  }

  public GrpcGatewayOptions(GrpcGatewayOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public GrpcGatewayOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "host", "port", "maxMessageBytes", "maxPayloadBytes",
      "maxConcurrentStreams", "maxSubscriptionsPerStream", "streamBufferSize", "overflowPolicy", "publishWindow",
      "maxUnackedDeliveries", "redeliveryTimeoutMillis", "maxRedeliveries", "defaultRequestTimeoutMillis",
      "serveTimeoutMillis", "maxPendingRequests", "idleTimeoutMillis", "requestHeaderTimeoutMillis", "reflection", "authenticateHealth", "authenticateReflection", "tls", "tlsCertPath", "tlsKeyPath", "tlsClientCaPath",
      "clientAuth", "tokens");
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setMaxMessageBytes(o.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setMaxPayloadBytes(o.integer("maxPayloadBytes", DEFAULT_MAX_PAYLOAD_BYTES));
    setMaxConcurrentStreams(o.integer("maxConcurrentStreams", DEFAULT_MAX_CONCURRENT_STREAMS));
    setMaxSubscriptionsPerStream(o.integer("maxSubscriptionsPerStream", DEFAULT_MAX_SUBSCRIPTIONS_PER_STREAM));
    setStreamBufferSize(o.integer("streamBufferSize", DEFAULT_STREAM_BUFFER_SIZE));
    setOverflowPolicy(o.enumValue("overflowPolicy", StreamOverflowPolicy.class, DEFAULT_OVERFLOW_POLICY));
    setPublishWindow(o.integer("publishWindow", DEFAULT_PUBLISH_WINDOW));
    setMaxUnackedDeliveries(o.integer("maxUnackedDeliveries", DEFAULT_MAX_UNACKED_DELIVERIES));
    setRedeliveryTimeoutMillis(o.longValue("redeliveryTimeoutMillis", DEFAULT_REDELIVERY_TIMEOUT_MILLIS));
    setMaxRedeliveries(o.integer("maxRedeliveries", DEFAULT_MAX_REDELIVERIES));
    setDefaultRequestTimeoutMillis(o.longValue("defaultRequestTimeoutMillis", DEFAULT_REQUEST_TIMEOUT_MILLIS));
    setServeTimeoutMillis(o.longValue("serveTimeoutMillis", DEFAULT_SERVE_TIMEOUT_MILLIS));
    setMaxPendingRequests(o.integer("maxPendingRequests", DEFAULT_MAX_PENDING_REQUESTS));
    setIdleTimeoutMillis(o.longValue("idleTimeoutMillis", DEFAULT_IDLE_TIMEOUT_MILLIS));
    setRequestHeaderTimeoutMillis(o.longValue("requestHeaderTimeoutMillis", DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS));
    setReflection(o.bool("reflection", true));
    setAuthenticateHealth(o.bool("authenticateHealth", false));
    setAuthenticateReflection(o.bool("authenticateReflection", true));
    setTls(o.bool("tls", false));
    setTlsCertPath(o.string("tlsCertPath", null));
    setTlsKeyPath(o.string("tlsKeyPath", null));
    setTlsClientCaPath(o.string("tlsClientCaPath", null));
    setClientAuth(o.enumValue("clientAuth", ClientAuth.class, ClientAuth.NONE));
    o.objects("tokens", GrpcTokenOptions::new).orElse(List.of()).forEach(this::addToken);
  }

  public JsonObject toJson() {
    JsonArray tokenArray = new JsonArray();
    tokens.forEach(t -> tokenArray.add(t.toJson()));
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("maxMessageBytes", maxMessageBytes)
      .put("maxPayloadBytes", maxPayloadBytes)
      .put("maxConcurrentStreams", maxConcurrentStreams)
      .put("maxSubscriptionsPerStream", maxSubscriptionsPerStream)
      .put("streamBufferSize", streamBufferSize)
      .put("overflowPolicy", overflowPolicy.name())
      .put("publishWindow", publishWindow)
      .put("maxUnackedDeliveries", maxUnackedDeliveries)
      .put("redeliveryTimeoutMillis", redeliveryTimeoutMillis)
      .put("maxRedeliveries", maxRedeliveries)
      .put("defaultRequestTimeoutMillis", defaultRequestTimeoutMillis)
      .put("serveTimeoutMillis", serveTimeoutMillis)
      .put("maxPendingRequests", maxPendingRequests)
      .put("idleTimeoutMillis", idleTimeoutMillis)
      .put("requestHeaderTimeoutMillis", requestHeaderTimeoutMillis)
      .put("reflection", reflection)
      .put("authenticateHealth", authenticateHealth)
      .put("authenticateReflection", authenticateReflection)
      .put("tls", tls)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("tlsClientCaPath", tlsClientCaPath)
      .put("clientAuth", clientAuth.name())
      .put("tokens", tokenArray);
  }

  @Override
  public String protocol() {
    return "grpc";
  }

  /** Interface to listen on. Default {@code 127.0.0.1} (loopback only). */
  public String getHost() {
    return host;
  }

  public GrpcGatewayOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** TCP port; 0 picks a free one. Default 50051. */
  public int getPort() {
    return port;
  }

  public GrpcGatewayOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 0, 65535);
    return this;
  }

  /** Largest gRPC message accepted, in bytes; a larger one fails the call with {@code RESOURCE_EXHAUSTED}. Default 4 MiB. */
  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public GrpcGatewayOptions setMaxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = (int) checkRange(OWNER, "maxMessageBytes", maxMessageBytes, 1024, 256 * 1024 * 1024);
    return this;
  }

  /** Largest flow message payload accepted, in bytes; a larger one is {@code INVALID_ARGUMENT}. Default 1 MiB. */
  public int getMaxPayloadBytes() {
    return maxPayloadBytes;
  }

  public GrpcGatewayOptions setMaxPayloadBytes(int maxPayloadBytes) {
    this.maxPayloadBytes = (int) checkRange(OWNER, "maxPayloadBytes", maxPayloadBytes, 0, 256 * 1024 * 1024);
    return this;
  }

  /**
   * Concurrent calls per HTTP/2 connection; one more is answered {@code RESOURCE_EXHAUSTED} at once
   * and counted. Twice the value is advertised as {@code SETTINGS_MAX_CONCURRENT_STREAMS}, so such
   * calls reach the gateway rather than queue in the client; a stream beyond that is refused by HTTP/2. Default 100.
   */
  public int getMaxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  public GrpcGatewayOptions setMaxConcurrentStreams(int maxConcurrentStreams) {
    this.maxConcurrentStreams = (int) checkRange(OWNER, "maxConcurrentStreams", maxConcurrentStreams, 1, 1_000_000);
    return this;
  }

  /** Subscriptions one Subscribe or SubscribeAcked call may hold; more is {@code RESOURCE_EXHAUSTED}. Default 16. */
  public int getMaxSubscriptionsPerStream() {
    return maxSubscriptionsPerStream;
  }

  public GrpcGatewayOptions setMaxSubscriptionsPerStream(int maxSubscriptionsPerStream) {
    this.maxSubscriptionsPerStream = (int) checkRange(OWNER, "maxSubscriptionsPerStream", maxSubscriptionsPerStream, 1, 10_000);
    return this;
  }

  /**
   * Deliveries a subscribe stream holds while the client does not read; then the overflow policy
   * applies, at every QoS. At most 50,000: with {@code maxUnackedDeliveries} it stays within the bus
   * subscription's in-flight window, so no message waits in the bus's own buffer. Default 1000.
   */
  public int getStreamBufferSize() {
    return streamBufferSize;
  }

  public GrpcGatewayOptions setStreamBufferSize(int streamBufferSize) {
    this.streamBufferSize = (int) checkRange(OWNER, "streamBufferSize", streamBufferSize, 1, 50_000);
    return this;
  }

  /** What a subscribe stream does when its buffer is full. Default {@link StreamOverflowPolicy#DROP_OLDEST}. */
  public StreamOverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  public GrpcGatewayOptions setOverflowPolicy(StreamOverflowPolicy overflowPolicy) {
    if (overflowPolicy == null) {
      throw new FlowException(FlowError.INVALID, "option 'overflowPolicy' of " + OWNER + " must be set");
    }
    this.overflowPolicy = overflowPolicy;
    return this;
  }

  /** Credit of a PublishStream: messages a client may have sent but not acknowledged. Default 256. */
  public int getPublishWindow() {
    return publishWindow;
  }

  public GrpcGatewayOptions setPublishWindow(int publishWindow) {
    this.publishWindow = (int) checkRange(OWNER, "publishWindow", publishWindow, 1, 65_535);
    return this;
  }

  /**
   * QoS 1/2 deliveries a SubscribeAcked client may leave unacknowledged; further ones wait in the
   * stream's buffer ({@code streamBufferSize}, where the overflow policy applies). At most 15,000. Default 256.
   */
  public int getMaxUnackedDeliveries() {
    return maxUnackedDeliveries;
  }

  public GrpcGatewayOptions setMaxUnackedDeliveries(int maxUnackedDeliveries) {
    this.maxUnackedDeliveries = (int) checkRange(OWNER, "maxUnackedDeliveries", maxUnackedDeliveries, 1, 15_000);
    return this;
  }

  /** How long a SubscribeAcked delivery waits for its ack before it is sent again, in ms. Default 10000. */
  public long getRedeliveryTimeoutMillis() {
    return redeliveryTimeoutMillis;
  }

  public GrpcGatewayOptions setRedeliveryTimeoutMillis(long redeliveryTimeoutMillis) {
    this.redeliveryTimeoutMillis = checkRange(OWNER, "redeliveryTimeoutMillis", redeliveryTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /** Redeliveries of one unacknowledged delivery before its publisher is failed with {@code TIMEOUT}. Default 5. */
  public int getMaxRedeliveries() {
    return maxRedeliveries;
  }

  public GrpcGatewayOptions setMaxRedeliveries(int maxRedeliveries) {
    this.maxRedeliveries = (int) checkRange(OWNER, "maxRedeliveries", maxRedeliveries, 0, 1000);
    return this;
  }

  /** Bus timeout of a Request call that has no gRPC deadline, in ms. Default 30000. */
  public long getDefaultRequestTimeoutMillis() {
    return defaultRequestTimeoutMillis;
  }

  public GrpcGatewayOptions setDefaultRequestTimeoutMillis(long defaultRequestTimeoutMillis) {
    this.defaultRequestTimeoutMillis = checkRange(OWNER, "defaultRequestTimeoutMillis", defaultRequestTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /** Longest time a Serve client may take to answer one request, in ms. Default 30000. */
  public long getServeTimeoutMillis() {
    return serveTimeoutMillis;
  }

  public GrpcGatewayOptions setServeTimeoutMillis(long serveTimeoutMillis) {
    this.serveTimeoutMillis = checkRange(OWNER, "serveTimeoutMillis", serveTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /** Requests one Serve stream may have unanswered; more fail at once with {@code OVERLOADED}. Default 1000. */
  public int getMaxPendingRequests() {
    return maxPendingRequests;
  }

  public GrpcGatewayOptions setMaxPendingRequests(int maxPendingRequests) {
    this.maxPendingRequests = (int) checkRange(OWNER, "maxPendingRequests", maxPendingRequests, 1, 1_000_000);
    return this;
  }

  /**
   * How long a client connection may stay open without a call in progress, in ms; then the gateway
   * closes it (counted in {@code flowsdk_grpc_connections_closed_total{reason="idleTimeout"}}). A call
   * that is quiet (a subscription without messages) does not make its connection idle. Default 300000.
   */
  public long getIdleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public GrpcGatewayOptions setIdleTimeoutMillis(long idleTimeoutMillis) {
    this.idleTimeoutMillis = checkRange(OWNER, "idleTimeoutMillis", idleTimeoutMillis, 1, 86_400_000);
    return this;
  }

  /**
   * How long a new connection may be quiet before its first call has arrived, in ms: one that sends
   * nothing, or stops part-way through its HTTP/2 preface or request headers, is closed then. Default 10000.
   */
  public long getRequestHeaderTimeoutMillis() {
    return requestHeaderTimeoutMillis;
  }

  public GrpcGatewayOptions setRequestHeaderTimeoutMillis(long requestHeaderTimeoutMillis) {
    this.requestHeaderTimeoutMillis = checkRange(OWNER, "requestHeaderTimeoutMillis", requestHeaderTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /** Whether gRPC server reflection (v1) is served, so {@code grpcurl} works without the proto. Default true. */
  public boolean isReflection() {
    return reflection;
  }

  public GrpcGatewayOptions setReflection(boolean reflection) {
    this.reflection = reflection;
    return this;
  }

  /**
   * Whether health checks need a bearer token when {@code tokens} are configured (any token will
   * do). Default false: probes (Kubernetes, load balancers) usually carry none.
   */
  public boolean isAuthenticateHealth() {
    return authenticateHealth;
  }

  public GrpcGatewayOptions setAuthenticateHealth(boolean authenticateHealth) {
    this.authenticateHealth = authenticateHealth;
    return this;
  }

  /**
   * Whether server reflection needs a bearer token when {@code tokens} are configured (any token
   * will do): reflection describes every method and message. Default true.
   */
  public boolean isAuthenticateReflection() {
    return authenticateReflection;
  }

  public GrpcGatewayOptions setAuthenticateReflection(boolean authenticateReflection) {
    this.authenticateReflection = authenticateReflection;
    return this;
  }

  /** Whether the gateway speaks TLS; then {@code tlsCertPath} and {@code tlsKeyPath} are required. Default false. */
  public boolean isTls() {
    return tls;
  }

  public GrpcGatewayOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /** PEM file with the server certificate (chain). Default none. */
  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public GrpcGatewayOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  /** PEM file with the server's private key. Default none. */
  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  public GrpcGatewayOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  /** PEM file with the certificates that sign accepted client certificates (mutual TLS). Default none. */
  public String getTlsClientCaPath() {
    return tlsClientCaPath;
  }

  public GrpcGatewayOptions setTlsClientCaPath(String tlsClientCaPath) {
    this.tlsClientCaPath = tlsClientCaPath;
    return this;
  }

  /** Whether clients must present a certificate: {@code NONE}, {@code REQUEST} or {@code REQUIRED}. Default NONE. */
  public ClientAuth getClientAuth() {
    return clientAuth;
  }

  public GrpcGatewayOptions setClientAuth(ClientAuth clientAuth) {
    if (clientAuth == null) {
      throw new FlowException(FlowError.INVALID, "option 'clientAuth' of " + OWNER + " must be set");
    }
    this.clientAuth = clientAuth;
    return this;
  }

  /**
   * Accepted bearer tokens. When empty every call is allowed without a token; otherwise every call
   * to the Flow service needs {@code authorization: Bearer <token>} with one of them, and so do
   * health and reflection as {@code authenticateHealth} and {@code authenticateReflection} say. Default none.
   */
  public List<GrpcTokenOptions> getTokens() {
    return tokens;
  }

  public GrpcGatewayOptions addToken(GrpcTokenOptions token) {
    if (token.getSha256() == null) {
      throw new FlowException(FlowError.INVALID, "every token of " + OWNER + " needs 'sha256'");
    }
    tokens.add(token);
    return this;
  }
}
