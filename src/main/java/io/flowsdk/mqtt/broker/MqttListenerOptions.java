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
 * One MQTT listener of the broker or of the relay edge: a TCP or WebSocket ({@code /mqtt}, subprotocol {@code mqtt}) port,
 * optionally with TLS. MQTT 3.1.1 and 5.0 clients share every listener.
 */
public class MqttListenerOptions implements ListenerOptions {

  /** How clients reach a listener. */
  public enum Transport {
    /** MQTT over TCP (or TLS). */
    TCP,
    /** MQTT over WebSocket on the path {@code /mqtt}. */
    WEBSOCKET
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 1883;

  private static final String OWNER = "MqttListenerOptions";

  private Transport transport = Transport.TCP;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private boolean tls;
  private String tlsCertPath;
  private String tlsKeyPath;
  private String tlsClientCaPath;
  private ClientAuth clientAuth = ClientAuth.NONE;

  public MqttListenerOptions() {
  }

  public MqttListenerOptions(MqttListenerOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public MqttListenerOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "transport", "host", "port", "tls", "tlsCertPath", "tlsKeyPath",
      "tlsClientCaPath", "clientAuth");
    setTransport(o.enumValue("transport", Transport.class, Transport.TCP));
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
    setTls(o.bool("tls", false));
    setTlsCertPath(o.string("tlsCertPath", null));
    setTlsKeyPath(o.string("tlsKeyPath", null));
    setTlsClientCaPath(o.string("tlsClientCaPath", null));
    setClientAuth(o.enumValue("clientAuth", ClientAuth.class, ClientAuth.NONE));
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
      .put("clientAuth", clientAuth.name());
  }

  /** Fails with {@code INVALID} when TLS is on without a certificate and key, or a client CA is required but missing. */
  public void validate() {
    if (tls && (tlsCertPath == null || tlsKeyPath == null)) {
      throw new FlowException(FlowError.INVALID, "listener " + host + ":" + port
        + " has tls=true but no tlsCertPath/tlsKeyPath: set both PEM files");
    }
    if (clientAuth != ClientAuth.NONE && (!tls || tlsClientCaPath == null)) {
      throw new FlowException(FlowError.INVALID, "listener " + host + ":" + port
        + " has clientAuth=" + clientAuth + " but needs tls=true and tlsClientCaPath");
    }
  }

  /**
   * Sets the address and the TLS of this listener (certificate, key, client authentication and client
   * CA) on {@code server}, the options of a TCP server; the broker's and the relay edge's listeners
   * are built so. Returns {@code server}.
   */
  public <T extends NetServerOptions> T applyTo(T server) {
    server.setHost(host).setPort(port);
    if (tls) {
      server.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCertPath).setKeyPath(tlsKeyPath))
        .setClientAuth(clientAuth);
      if (tlsClientCaPath != null) {
        server.setTrustOptions(new PemTrustOptions().addCertPath(tlsClientCaPath));
      }
    }
    return server;
  }

  /** TCP or WebSocket. Default {@code TCP}. */
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

  /** Serve TLS with {@link #getTlsCertPath()} and {@link #getTlsKeyPath()}. Default false. */
  @Override
  public boolean isTls() {
    return tls;
  }

  public MqttListenerOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public String protocol() {
    return transport == Transport.WEBSOCKET ? "mqtt over websocket (/mqtt)" : "mqtt";
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
}
