package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerSetOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link RelayEdgeVerticle}: its MQTT listeners (TCP, TLS, WebSocket, as the broker's),
 * the relay upstreams it opens streams to, in failover order, and its limits. The JSON form is the
 * {@code config} of {@code verticles/relay-edge.json}; see docs/relay.md.
 */
public class RelayEdgeOptions implements ListenerSetOptions {

  public static final String DEFAULT_NAME = "relay-edge";
  /** The port of an upstream whose JSON form has none: FlowSDK's s-proxy port, as {@link RelayUpstreamOptions#DEFAULT_PORT}. */
  public static final int DEFAULT_UPSTREAM_PORT = RelayUpstreamOptions.DEFAULT_PORT;
  public static final long DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS = 1_000;
  public static final long DEFAULT_UPSTREAM_RETRY_MAX_MILLIS = 30_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;

  private static final String OWNER = "RelayEdgeOptions";

  private String name = DEFAULT_NAME;
  private final List<MqttListenerOptions> listeners = new ArrayList<>(List.of(new MqttListenerOptions()));
  private final List<UpstreamAddressOptions> upstreams =
    new ArrayList<>(List.of(new UpstreamAddressOptions(UpstreamAddressOptions.DEFAULT_HOST, DEFAULT_UPSTREAM_PORT)));
  private long upstreamRetryInitialMillis = DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS;
  private long upstreamRetryMaxMillis = DEFAULT_UPSTREAM_RETRY_MAX_MILLIS;
  private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
  private String upstreamToken;
  private boolean upstreamTls;
  private String upstreamTlsCaPath;
  private String upstreamTlsCertPath;
  private String upstreamTlsKeyPath;

  public RelayEdgeOptions() {
  }

  public RelayEdgeOptions(RelayEdgeOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayEdgeOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "listeners", "upstreams", "upstreamRetryInitialMillis",
      "upstreamRetryMaxMillis", "connectTimeoutMillis", "maxSessions", "maxPacketSize", "upstreamToken", "upstreamTls", "upstreamTlsCaPath",
      "upstreamTlsCertPath", "upstreamTlsKeyPath");
    setName(o.string("name", DEFAULT_NAME));
    if (o.array("listeners") != null) {
      setListeners(objects(o.array("listeners"), "listeners", MqttListenerOptions::new));
    }
    if (o.array("upstreams") != null) {
      setUpstreams(objects(o.array("upstreams"), "upstreams", entry -> new UpstreamAddressOptions(entry, DEFAULT_UPSTREAM_PORT)));
    }
    setUpstreamRetryInitialMillis(o.longValue("upstreamRetryInitialMillis", DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS));
    setUpstreamRetryMaxMillis(o.longValue("upstreamRetryMaxMillis", DEFAULT_UPSTREAM_RETRY_MAX_MILLIS));
    setConnectTimeoutMillis(o.longValue("connectTimeoutMillis", DEFAULT_CONNECT_TIMEOUT_MILLIS));
    setMaxSessions(o.integer("maxSessions", DEFAULT_MAX_SESSIONS));
    setMaxPacketSize(o.integer("maxPacketSize", DEFAULT_MAX_PACKET_SIZE));
    setUpstreamToken(o.string("upstreamToken", null));
    setUpstreamTls(o.bool("upstreamTls", false));
    setUpstreamTlsCaPath(o.string("upstreamTlsCaPath", null));
    setUpstreamTlsCertPath(o.string("upstreamTlsCertPath", null));
    setUpstreamTlsKeyPath(o.string("upstreamTlsKeyPath", null));
    if ((upstreamTlsCertPath == null) != (upstreamTlsKeyPath == null) || (upstreamTlsCertPath != null && !upstreamTls)) {
      throw new FlowException(FlowError.INVALID, OWNER + ": upstreamTlsCertPath and upstreamTlsKeyPath go together, and need upstreamTls=true");
    }
  }

  private static <T> List<T> objects(JsonArray array, String key, Function<JsonObject, T> read) {
    List<T> out = new ArrayList<>();
    for (Object entry : array) {
      if (!(entry instanceof JsonObject)) {
        throw new FlowException(FlowError.INVALID, "entries of option '" + key + "' of " + OWNER + " must be objects, not " + entry);
      }
      out.add(read.apply((JsonObject) entry));
    }
    return out;
  }

  public JsonObject toJson() {
    JsonArray listenerArray = new JsonArray();
    listeners.forEach(l -> listenerArray.add(l.toJson()));
    JsonArray upstreamArray = new JsonArray();
    upstreams.forEach(u -> upstreamArray.add(u.toJson()));
    return new JsonObject()
      .put("name", name)
      .put("listeners", listenerArray)
      .put("upstreams", upstreamArray)
      .put("upstreamRetryInitialMillis", upstreamRetryInitialMillis)
      .put("upstreamRetryMaxMillis", upstreamRetryMaxMillis)
      .put("connectTimeoutMillis", connectTimeoutMillis)
      .put("maxSessions", maxSessions)
      .put("maxPacketSize", maxPacketSize)
      .put("upstreamToken", upstreamToken)
      .put("upstreamTls", upstreamTls)
      .put("upstreamTlsCaPath", upstreamTlsCaPath)
      .put("upstreamTlsCertPath", upstreamTlsCertPath)
      .put("upstreamTlsKeyPath", upstreamTlsKeyPath);
  }

  public String getName() {
    return name;
  }

  /** Names this edge in metrics (tag {@code relay}). Default {@value #DEFAULT_NAME}. */
  public RelayEdgeOptions setName(String name) {
    this.name = name;
    return this;
  }

  /** Where MQTT clients connect. Default one TCP listener on 127.0.0.1:1883. */
  @Override
  public List<MqttListenerOptions> getListeners() {
    return listeners;
  }

  /**
   * The MQTT listeners: TCP or WebSocket ({@code /mqtt}, subprotocol {@code mqtt}), each optionally TLS,
   * exactly as the broker's listeners. At least one.
   */
  public RelayEdgeOptions setListeners(List<MqttListenerOptions> listeners) {
    if (listeners.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'listeners' of " + OWNER + " needs at least one listener");
    }
    this.listeners.clear();
    this.listeners.addAll(listeners);
    return this;
  }

  public List<UpstreamAddressOptions> getUpstreams() {
    return upstreams;
  }

  /**
   * The relay upstreams (ours or FlowSDK s-proxies) in failover order: a new session goes to the first
   * one that is not backing off after a failure. At least one. Default one, localhost:50515.
   */
  public RelayEdgeOptions setUpstreams(List<UpstreamAddressOptions> upstreams) {
    if (upstreams.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'upstreams' of " + OWNER + " needs at least one upstream");
    }
    this.upstreams.clear();
    this.upstreams.addAll(upstreams);
    return this;
  }

  public long getUpstreamRetryInitialMillis() {
    return upstreamRetryInitialMillis;
  }

  /**
   * How long an upstream that could not be reached is skipped by new sessions after its first failure;
   * doubled after each further failure in a row, up to {@code upstreamRetryMaxMillis}, 20 % of it random.
   * Default {@value #DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS}.
   */
  public RelayEdgeOptions setUpstreamRetryInitialMillis(long upstreamRetryInitialMillis) {
    this.upstreamRetryInitialMillis = checkRange(OWNER, "upstreamRetryInitialMillis", upstreamRetryInitialMillis, 1, 3_600_000);
    return this;
  }

  public long getUpstreamRetryMaxMillis() {
    return upstreamRetryMaxMillis;
  }

  /** The longest an unreachable upstream is skipped. Default {@value #DEFAULT_UPSTREAM_RETRY_MAX_MILLIS}. */
  public RelayEdgeOptions setUpstreamRetryMaxMillis(long upstreamRetryMaxMillis) {
    this.upstreamRetryMaxMillis = checkRange(OWNER, "upstreamRetryMaxMillis", upstreamRetryMaxMillis, 1, 3_600_000);
    return this;
  }

  public long getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /**
   * How long a new client connection may take to send its CONNECT, and the stream to an upstream to
   * open (failover included); past it the connection is closed. Default {@value #DEFAULT_CONNECT_TIMEOUT_MILLIS}.
   */
  public RelayEdgeOptions setConnectTimeoutMillis(long connectTimeoutMillis) {
    this.connectTimeoutMillis = checkRange(OWNER, "connectTimeoutMillis", connectTimeoutMillis, 1, 3_600_000);
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  /**
   * Most client connections one verticle instance relays at once; one more gets CONNACK "Server busy"
   * (5.0) or "Server unavailable" (3.1.1). Default {@value #DEFAULT_MAX_SESSIONS}.
   */
  public RelayEdgeOptions setMaxSessions(int maxSessions) {
    this.maxSessions = (int) checkRange(OWNER, "maxSessions", maxSessions, 1, 10_000_000);
    return this;
  }

  public int getMaxPacketSize() {
    return maxPacketSize;
  }

  /**
   * The largest MQTT packet, in bytes, relayed in either direction; the gRPC message limit is this plus
   * 1 KiB. Default {@value #DEFAULT_MAX_PACKET_SIZE}.
   */
  public RelayEdgeOptions setMaxPacketSize(int maxPacketSize) {
    this.maxPacketSize = (int) checkRange(OWNER, "maxPacketSize", maxPacketSize, 1024, 268_435_460);
    return this;
  }

  public String getUpstreamToken() {
    return upstreamToken;
  }

  /**
   * The bearer token sent to every upstream as {@code authorization: Bearer <token>} (the gateway's
   * scheme; the upstream holds its SHA-256 in {@code tokens}). Default none.
   */
  public RelayEdgeOptions setUpstreamToken(String upstreamToken) {
    this.upstreamToken = upstreamToken;
    return this;
  }

  public boolean isUpstreamTls() {
    return upstreamTls;
  }

  /** Whether streams to the upstreams use TLS (HTTP/2 with ALPN). Default false. */
  public RelayEdgeOptions setUpstreamTls(boolean upstreamTls) {
    this.upstreamTls = upstreamTls;
    return this;
  }

  public String getUpstreamTlsCaPath() {
    return upstreamTlsCaPath;
  }

  /** PEM CA certificates the upstreams' certificates must chain to; default none: the JVM's trust store. */
  public RelayEdgeOptions setUpstreamTlsCaPath(String upstreamTlsCaPath) {
    this.upstreamTlsCaPath = upstreamTlsCaPath;
    return this;
  }

  public String getUpstreamTlsCertPath() {
    return upstreamTlsCertPath;
  }

  /** PEM certificate chain the edge presents to the upstreams (mutual TLS), with {@code upstreamTlsKeyPath}. Default none. */
  public RelayEdgeOptions setUpstreamTlsCertPath(String upstreamTlsCertPath) {
    this.upstreamTlsCertPath = upstreamTlsCertPath;
    return this;
  }

  public String getUpstreamTlsKeyPath() {
    return upstreamTlsKeyPath;
  }

  /** PEM private key of {@code upstreamTlsCertPath}. Default none. */
  public RelayEdgeOptions setUpstreamTlsKeyPath(String upstreamTlsKeyPath) {
    this.upstreamTlsKeyPath = upstreamTlsKeyPath;
    return this;
  }
}
