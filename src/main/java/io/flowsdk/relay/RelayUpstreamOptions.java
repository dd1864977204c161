package io.flowsdk.relay;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link RelayUpstreamVerticle}: where its gRPC server listens, which MQTT broker each
 * relayed session connects to, and its limits. The JSON form is the {@code config} of
 * {@code verticles/relay-upstream.json}; see docs/relay.md.
 */
public class RelayUpstreamOptions {

  public static final String DEFAULT_NAME = "relay-upstream";
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The port FlowSDK's s-proxy listens on. */
  public static final int DEFAULT_PORT = 50515;
  public static final String DEFAULT_BROKER_HOST = "localhost";
  public static final int DEFAULT_BROKER_PORT = 1883;
  public static final long DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_PENDING_PACKETS = 256;

  private static final String OWNER = "RelayUpstreamOptions";

  private String name = DEFAULT_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String brokerHost = DEFAULT_BROKER_HOST;
  private int brokerPort = DEFAULT_BROKER_PORT;
  private long brokerConnectTimeoutMillis = DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
  private int maxPendingPackets = DEFAULT_MAX_PENDING_PACKETS;

  public RelayUpstreamOptions() {
  }

  public RelayUpstreamOptions(RelayUpstreamOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayUpstreamOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "host", "port", "brokerHost", "brokerPort",
      "brokerConnectTimeoutMillis", "maxSessions", "maxPacketSize", "maxPendingPackets");
    setName(o.string("name", DEFAULT_NAME));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setBrokerHost(o.string("brokerHost", DEFAULT_BROKER_HOST));
    setBrokerPort(o.integer("brokerPort", DEFAULT_BROKER_PORT));
    setBrokerConnectTimeoutMillis(o.longValue("brokerConnectTimeoutMillis", DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS));
    setMaxSessions(o.integer("maxSessions", DEFAULT_MAX_SESSIONS));
    setMaxPacketSize(o.integer("maxPacketSize", DEFAULT_MAX_PACKET_SIZE));
    setMaxPendingPackets(o.integer("maxPendingPackets", DEFAULT_MAX_PENDING_PACKETS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("host", host)
      .put("port", port)
      .put("brokerHost", brokerHost)
      .put("brokerPort", brokerPort)
      .put("brokerConnectTimeoutMillis", brokerConnectTimeoutMillis)
      .put("maxSessions", maxSessions)
      .put("maxPacketSize", maxPacketSize)
      .put("maxPendingPackets", maxPendingPackets);
  }

  public String getName() {
    return name;
  }

  /** Names this upstream in metrics (tag {@code relay}). Default {@value #DEFAULT_NAME}. */
  public RelayUpstreamOptions setName(String name) {
    this.name = name;
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The address the gRPC server binds. Default {@value #DEFAULT_HOST}. */
  public RelayUpstreamOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The gRPC server's port, 0 for any free one. Default {@value #DEFAULT_PORT}. */
  public RelayUpstreamOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 0, 65535);
    return this;
  }

  public String getBrokerHost() {
    return brokerHost;
  }

  /** The MQTT broker every relayed session connects to. Default {@value #DEFAULT_BROKER_HOST}. */
  public RelayUpstreamOptions setBrokerHost(String brokerHost) {
    this.brokerHost = brokerHost;
    return this;
  }

  public int getBrokerPort() {
    return brokerPort;
  }

  /** The broker's MQTT (TCP) port. Default {@value #DEFAULT_BROKER_PORT}. */
  public RelayUpstreamOptions setBrokerPort(int brokerPort) {
    this.brokerPort = (int) checkRange(OWNER, "brokerPort", brokerPort, 1, 65535);
    return this;
  }

  public long getBrokerConnectTimeoutMillis() {
    return brokerConnectTimeoutMillis;
  }

  /**
   * How long the TCP connect to the broker and its CONNACK may take together; past it the client gets a
   * CONNACK "Server unavailable" and the session ends. Default {@value #DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS}.
   */
  public RelayUpstreamOptions setBrokerConnectTimeoutMillis(long brokerConnectTimeoutMillis) {
    this.brokerConnectTimeoutMillis = checkRange(OWNER, "brokerConnectTimeoutMillis", brokerConnectTimeoutMillis,
      1, 3_600_000);
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  /**
   * Most sessions one verticle instance relays at once; a stream beyond it ends with RESOURCE_EXHAUSTED.
   * Default {@value #DEFAULT_MAX_SESSIONS}.
   */
  public RelayUpstreamOptions setMaxSessions(int maxSessions) {
    this.maxSessions = (int) checkRange(OWNER, "maxSessions", maxSessions, 1, 10_000_000);
    return this;
  }

  public int getMaxPacketSize() {
    return maxPacketSize;
  }

  /**
   * The largest MQTT packet, in bytes, relayed in either direction; the gRPC message limit is this plus
   * 1 KiB for the envelope. Default {@value #DEFAULT_MAX_PACKET_SIZE}.
   */
  public RelayUpstreamOptions setMaxPacketSize(int maxPacketSize) {
    this.maxPacketSize = (int) checkRange(OWNER, "maxPacketSize", maxPacketSize, 1024, 268_435_460);
    return this;
  }

  public int getMaxPendingPackets() {
    return maxPendingPackets;
  }

  /**
   * Most client packets held while the broker connection is being opened; one more ends the session.
   * Once connected, packets are not buffered: a full socket pauses the stream (gRPC flow control).
   * Default {@value #DEFAULT_MAX_PENDING_PACKETS}.
   */
  public RelayUpstreamOptions setMaxPendingPackets(int maxPendingPackets) {
    this.maxPendingPackets = (int) checkRange(OWNER, "maxPendingPackets", maxPendingPackets, 1, 1_000_000);
    return this;
  }
}
