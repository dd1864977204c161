package io.flowsdk.relay;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link RelayEdgeVerticle}: where its MQTT listener listens, which relay upstream it
 * opens streams to, and its limits. The JSON form is the {@code config} of
 * {@code verticles/relay-edge.json}; see docs/relay.md.
 */
public class RelayEdgeOptions {

  public static final String DEFAULT_NAME = "relay-edge";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 1883;
  public static final String DEFAULT_UPSTREAM_HOST = "localhost";
  public static final int DEFAULT_UPSTREAM_PORT = RelayUpstreamOptions.DEFAULT_PORT;
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;

  private static final String OWNER = "RelayEdgeOptions";

  private String name = DEFAULT_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String upstreamHost = DEFAULT_UPSTREAM_HOST;
  private int upstreamPort = DEFAULT_UPSTREAM_PORT;
  private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;

  public RelayEdgeOptions() {
  }

  public RelayEdgeOptions(RelayEdgeOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayEdgeOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "host", "port", "upstreamHost", "upstreamPort",
      "connectTimeoutMillis", "maxSessions", "maxPacketSize");
    setName(o.string("name", DEFAULT_NAME));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setUpstreamHost(o.string("upstreamHost", DEFAULT_UPSTREAM_HOST));
    setUpstreamPort(o.integer("upstreamPort", DEFAULT_UPSTREAM_PORT));
    setConnectTimeoutMillis(o.longValue("connectTimeoutMillis", DEFAULT_CONNECT_TIMEOUT_MILLIS));
    setMaxSessions(o.integer("maxSessions", DEFAULT_MAX_SESSIONS));
    setMaxPacketSize(o.integer("maxPacketSize", DEFAULT_MAX_PACKET_SIZE));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("host", host)
      .put("port", port)
      .put("upstreamHost", upstreamHost)
      .put("upstreamPort", upstreamPort)
      .put("connectTimeoutMillis", connectTimeoutMillis)
      .put("maxSessions", maxSessions)
      .put("maxPacketSize", maxPacketSize);
  }

  public String getName() {
    return name;
  }

  /** Names this edge in metrics (tag {@code relay}). Default {@value #DEFAULT_NAME}. */
  public RelayEdgeOptions setName(String name) {
    this.name = name;
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The address the MQTT listener binds. Default {@value #DEFAULT_HOST}. */
  public RelayEdgeOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The MQTT (TCP) listener's port, 0 for any free one. Default {@value #DEFAULT_PORT}. */
  public RelayEdgeOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 0, 65535);
    return this;
  }

  public String getUpstreamHost() {
    return upstreamHost;
  }

  /** The relay upstream (ours or a FlowSDK s-proxy). Default {@value #DEFAULT_UPSTREAM_HOST}. */
  public RelayEdgeOptions setUpstreamHost(String upstreamHost) {
    this.upstreamHost = upstreamHost;
    return this;
  }

  public int getUpstreamPort() {
    return upstreamPort;
  }

  /** The upstream's gRPC port. Default {@value #DEFAULT_UPSTREAM_PORT}. */
  public RelayEdgeOptions setUpstreamPort(int upstreamPort) {
    this.upstreamPort = (int) checkRange(OWNER, "upstreamPort", upstreamPort, 1, 65535);
    return this;
  }

  public long getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /**
   * How long a new client connection may take to send its CONNECT, and the stream to the upstream to
   * open; past it the connection is closed. Default {@value #DEFAULT_CONNECT_TIMEOUT_MILLIS}.
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
}
