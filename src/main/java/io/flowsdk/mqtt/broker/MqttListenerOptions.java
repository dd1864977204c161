package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * One MQTT listener of the broker or of the relay edge: a TCP or WebSocket ({@code /mqtt}, subprotocol
 * {@code mqtt}) port, optionally with TLS, or (the broker only) a QUIC (UDP) port, always with TLS.
 * MQTT 3.1.1 and 5.0 clients share every listener.
 */
public class MqttListenerOptions implements ListenerOptions {

  /** How clients reach a listener. */
  public enum Transport {
    /** MQTT over TCP (or TLS). */
    TCP,
    /** MQTT over WebSocket on the path {@code /mqtt}. */
    WEBSOCKET,
    /**
     * MQTT over QUIC on a UDP port: ALPN {@code mqtt}, one bidirectional stream per connection (EMQX's
     * single-stream mode); TLS 1.3 with {@code tlsCertPath} and {@code tlsKeyPath} always.
     */
    QUIC
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 1883;
  public static final long DEFAULT_QUIC_IDLE_TIMEOUT_MILLIS = 120_000;

  private static final String OWNER = "MqttListenerOptions";

  private Transport transport = Transport.TCP;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private boolean tls;
  private String tlsCertPath;
  private String tlsKeyPath;
  private String tlsClientCaPath;
  private ClientAuth clientAuth = ClientAuth.NONE;
  private boolean allowAnonymous = true;
  private boolean certificateUsername;
  private long quicIdleTimeoutMillis = DEFAULT_QUIC_IDLE_TIMEOUT_MILLIS;
  private boolean quicEarlyData;

  public MqttListenerOptions() {
  }

  public MqttListenerOptions(MqttListenerOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public MqttListenerOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "transport", "host", "port", "tls", "tlsCertPath", "tlsKeyPath",
      "tlsClientCaPath", "clientAuth", "allowAnonymous", "certificateUsername", "quicIdleTimeoutMillis", "quicEarlyData");
    setTransport(o.enumValue("transport", Transport.class, Transport.TCP));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setTls(o.bool("tls", false));
    setTlsCertPath(o.string("tlsCertPath", null));
    setTlsKeyPath(o.string("tlsKeyPath", null));
    setTlsClientCaPath(o.string("tlsClientCaPath", null));
    setClientAuth(o.enumValue("clientAuth", ClientAuth.class, ClientAuth.NONE));
    setAllowAnonymous(o.bool("allowAnonymous", true));
    setCertificateUsername(o.bool("certificateUsername", false));
    setQuicIdleTimeoutMillis(o.longValue("quicIdleTimeoutMillis", DEFAULT_QUIC_IDLE_TIMEOUT_MILLIS));
    setQuicEarlyData(o.bool("quicEarlyData", false));
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("transport", transport.name())
      .put("host", host)
      .put("port", port)
      .put("tls", tls)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("tlsClientCaPath", tlsClientCaPath)
      .put("clientAuth", clientAuth.name())
      .put("allowAnonymous", allowAnonymous)
      .put("certificateUsername", certificateUsername)
      .put("quicIdleTimeoutMillis", quicIdleTimeoutMillis)
      .put("quicEarlyData", quicEarlyData);
  }

  /**
   * Fails with {@code INVALID} when TLS is on (or the transport is QUIC) without a certificate and key,
   * a client CA is required but missing, or certificate usernames are asked for without client certificates.
   */
  public void validate() {
    if (isTls() && (tlsCertPath == null || tlsKeyPath == null)) {
      throw new FlowException(FlowError.INVALID, "listener " + host + ":" + port + (transport == Transport.QUIC
        ? " is a QUIC listener, always TLS," : " has tls=true") + " but no tlsCertPath/tlsKeyPath: set both PEM files");
    }
    if (clientAuth != ClientAuth.NONE && (!isTls() || tlsClientCaPath == null)) {
      throw new FlowException(FlowError.INVALID, "listener " + host + ":" + port
        + " has clientAuth=" + clientAuth + " but needs tls=true and tlsClientCaPath");
    }
    if (certificateUsername && clientAuth == ClientAuth.NONE) {
      throw new FlowException(FlowError.INVALID, "listener " + host + ":" + port
        + " has certificateUsername=true but asks for no client certificate: set clientAuth to REQUEST or REQUIRED");
    }
  }

  /**
   * Sets the address and the TLS of this listener (certificate, key, client authentication and client
   * CA) on {@code server}, the options of a TCP server (QUIC sets its TLS elsewhere); the broker's and the relay edge's listeners
   * are built so. Returns {@code server}.
   */
  public <T extends NetServerOptions> T applyTo(T server) {
    server.setHost(host).setPort(port);
    if (tls && transport != Transport.QUIC) { // QUIC's TLS is set on its own codec
      server.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCertPath).setKeyPath(tlsKeyPath))
        .setClientAuth(clientAuth);
      if (tlsClientCaPath != null) {
        server.setTrustOptions(new PemTrustOptions().addCertPath(tlsClientCaPath));
      }
    }
    return server;
  }

  /** TCP, WebSocket or QUIC. Default {@code TCP}. */
  public Transport getTransport() {
    return transport;
  }

  public MqttListenerOptions setTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** Interface to listen on. Default {@code 127.0.0.1}. */
  @Override
  public String getHost() {
    return host;
  }

  public MqttListenerOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** Port; 0 picks a free one. Default 1883. */
  @Override
  public int getPort() {
    return port;
  }

  public MqttListenerOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 0, 65535);
    return this;
  }

  /** Serve TLS with {@link #getTlsCertPath()} and {@link #getTlsKeyPath()}; always true for QUIC. Default false. */
  @Override
  public boolean isTls() {
    return tls || transport == Transport.QUIC;
  }

  public MqttListenerOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public String protocol() {
    switch (transport) {
      case WEBSOCKET:
        return "mqtt over websocket (/mqtt)";
      case QUIC:
        return "mqtt over quic (udp)";
      default:
        return "mqtt";
    }
  }

  /** PEM certificate chain of the listener. Default none. */
  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public MqttListenerOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  /** PEM private key of the listener. Default none. */
  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  public MqttListenerOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  /** PEM CA certificates that client certificates must chain to. Default none. */
  public String getTlsClientCaPath() {
    return tlsClientCaPath;
  }

  public MqttListenerOptions setTlsClientCaPath(String tlsClientCaPath) {
    this.tlsClientCaPath = tlsClientCaPath;
    return this;
  }

  /** Whether client certificates are asked for ({@code REQUEST}) or required ({@code REQUIRED}). Default {@code NONE}. */
  public ClientAuth getClientAuth() {
    return clientAuth;
  }

  public MqttListenerOptions setClientAuth(ClientAuth clientAuth) {
    this.clientAuth = clientAuth;
    return this;
  }

  /**
   * Whether a client may connect without a username (or a client certificate naming it). Without it,
   * such a client gets CONNACK 0x87 Not authorized (MQTT 3.1.1: 0x05). Default true.
   */
  public boolean isAllowAnonymous() {
    return allowAnonymous;
  }

  public MqttListenerOptions setAllowAnonymous(boolean allowAnonymous) {
    this.allowAnonymous = allowAnonymous;
    return this;
  }

  /**
   * With QUIC: the idle timeout the listener announces; a connection ends after this long without a
   * packet either way (the smaller of the client's and ours applies). Default 120000.
   */
  public long getQuicIdleTimeoutMillis() {
    return quicIdleTimeoutMillis;
  }

  public MqttListenerOptions setQuicIdleTimeoutMillis(long quicIdleTimeoutMillis) {
    this.quicIdleTimeoutMillis = checkRange(OWNER, "quicIdleTimeoutMillis", quicIdleTimeoutMillis, 1, Long.MAX_VALUE);
    return this;
  }

  /**
   * Whether a client certificate's subject CN is the client's username: a client that presents one
   * (verified against {@link #getTlsClientCaPath()}) is authenticated by it, and a username and
   * password in its CONNECT are not checked. Needs {@code clientAuth} {@code REQUEST} or
   * {@code REQUIRED}. Default false.
   */
  public boolean isCertificateUsername() {
    return certificateUsername;
  }

  public MqttListenerOptions setCertificateUsername(boolean certificateUsername) {
    this.certificateUsername = certificateUsername;
    return this;
  }

  /**
   * With QUIC: accept 0-RTT early data from a client resuming a TLS session, so its CONNECT arrives a
   * round trip sooner. Early data can be replayed by an attacker on the path; a replayed QoS 0 publish
   * is delivered again. Default false.
   */
  public boolean isQuicEarlyData() {
    return quicEarlyData;
  }

  public MqttListenerOptions setQuicEarlyData(boolean quicEarlyData) {
    this.quicEarlyData = quicEarlyData;
    return this;
  }
}
