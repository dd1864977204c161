package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerOptions;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link RelayUpstreamVerticle}: where its gRPC server listens, which MQTT broker each
 * relayed session connects to, who may open streams (bearer tokens, TLS client certificates) and its limits. The JSON form is the {@code config} of
 * {@code verticles/relay-upstream.json}; see docs/relay.md. As a {@link ListenerOptions} its gRPC server is a node
 * listener: the node shifts its port by the port offset and refuses a second listener on it.
 */
public class RelayUpstreamOptions implements ListenerOptions {

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
  private final List<GrpcTokenOptions> tokens = new ArrayList<>();
  private boolean tls;
  private String tlsCertPath;
  private String tlsKeyPath;
  private String tlsClientCaPath;
  private ClientAuth clientAuth = ClientAuth.NONE;

  public RelayUpstreamOptions() {
  }

  public RelayUpstreamOptions(RelayUpstreamOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayUpstreamOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "host", "port", "brokerHost", "brokerPort",
      "brokerConnectTimeoutMillis", "maxSessions", "maxPacketSize", "maxPendingPackets", "tokens", "tls", "tlsCertPath",
      "tlsKeyPath", "tlsClientCaPath", "clientAuth");
    setName(o.string("name", DEFAULT_NAME));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setBrokerHost(o.string("brokerHost", DEFAULT_BROKER_HOST));
    setBrokerPort(o.integer("brokerPort", DEFAULT_BROKER_PORT));
    setBrokerConnectTimeoutMillis(o.longValue("brokerConnectTimeoutMillis", DEFAULT_BROKER_CONNECT_TIMEOUT_MILLIS));
    setMaxSessions(o.integer("maxSessions", DEFAULT_MAX_SESSIONS));
    setMaxPacketSize(o.integer("maxPacketSize", DEFAULT_MAX_PACKET_SIZE));
    setMaxPendingPackets(o.integer("maxPendingPackets", DEFAULT_MAX_PENDING_PACKETS));
    o.objects("tokens", GrpcTokenOptions::new).orElse(List.of()).forEach(this::addToken);
    setTls(o.bool("tls", false));
    setTlsCertPath(o.string("tlsCertPath", null));
    setTlsKeyPath(o.string("tlsKeyPath", null));
    setTlsClientCaPath(o.string("tlsClientCaPath", null));
    setClientAuth(o.enumValue("clientAuth", ClientAuth.class, ClientAuth.NONE));
    validate();
  }

  /** Fails with {@code INVALID} when TLS is on without a certificate and key, or client certificates need TLS and a CA. */
  public void validate() {
    if (tls && (tlsCertPath == null || tlsKeyPath == null)) {
      throw new FlowException(FlowError.INVALID, OWNER + " has tls=true but no tlsCertPath/tlsKeyPath: set both PEM files");
    }
    if (clientAuth != ClientAuth.NONE && (!tls || tlsClientCaPath == null)) {
      throw new FlowException(FlowError.INVALID, OWNER + " has clientAuth=" + clientAuth + " but needs tls=true and tlsClientCaPath");
    }
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
      .put("maxPendingPackets", maxPendingPackets)
      .put("tokens", new JsonArray(tokens.stream().map(GrpcTokenOptions::toJson).toList()))
      .put("tls", tls)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("tlsClientCaPath", tlsClientCaPath)
      .put("clientAuth", clientAuth.name());
  }

  public String getName() {
    return name;
  }

  /** Names this upstream in metrics (tag {@code relay}). Default {@value #DEFAULT_NAME}. */
  public RelayUpstreamOptions setName(String name) {
    this.name = name;
    return this;
  }

  @Override
  public String protocol() {
    return "grpc";
  }

  @Override
  public String getHost() {
    return host;
  }

  /** The address the gRPC server binds. Default {@value #DEFAULT_HOST}. */
  public RelayUpstreamOptions setHost(String host) {
    this.host = host;
    return this;
  }

  @Override
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

  public List<GrpcTokenOptions> getTokens() {
    return tokens;
  }

  /**
   * Bearer tokens an edge (or r-proxy) must present as {@code authorization: Bearer <token>}, the
   * gateway's scheme ({@link GrpcTokenOptions}: only {@code name} and {@code sha256} matter here). A stream
   * without a known token ends with {@code UNAUTHENTICATED}. Default none: every caller is accepted.
   */
  public RelayUpstreamOptions addToken(GrpcTokenOptions token) {
    tokens.add(token);
    return this;
  }

  @Override
  public boolean isTls() {
    return tls;
  }

  /** Whether the gRPC server speaks TLS; then {@code tlsCertPath} and {@code tlsKeyPath} are required. Default false. */
  public RelayUpstreamOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  public String getTlsCertPath() {
    return tlsCertPath;
  }

  /** PEM certificate chain of the gRPC server. Default none. */
  public RelayUpstreamOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  /** PEM private key of the gRPC server. Default none. */
  public RelayUpstreamOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  public String getTlsClientCaPath() {
    return tlsClientCaPath;
  }

  /** PEM CA certificates that edge (client) certificates must chain to, for mutual TLS. Default none. */
  public RelayUpstreamOptions setTlsClientCaPath(String tlsClientCaPath) {
    this.tlsClientCaPath = tlsClientCaPath;
    return this;
  }

  public ClientAuth getClientAuth() {
    return clientAuth;
  }

  /** Whether edge certificates are asked for ({@code REQUEST}) or required ({@code REQUIRED}). Default {@code NONE}. */
  public RelayUpstreamOptions setClientAuth(ClientAuth clientAuth) {
    this.clientAuth = clientAuth;
    return this;
  }
}
