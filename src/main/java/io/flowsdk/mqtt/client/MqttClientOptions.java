package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkFraction;
import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of an {@link MqttClient}: where to connect, what the CONNECT carries, timeouts, reconnect
 * and offline buffering. The JSON form (every key, see {@link #toJson()}) is documented in
 * {@code docs/mqtt-client.md}; unknown keys fail with {@code INVALID}.
 */
public class MqttClientOptions {

  private static final String OWNER = "MqttClientOptions";
  private String host = "localhost";
  private int port = 1883;
  private MqttVersion version = MqttVersion.V5;
  private String clientId = "";
  private boolean cleanStart = true;
  private int keepAliveSeconds = 60;
  private long sessionExpiryIntervalSeconds = 0;
  private int receiveMaximum = 1000;
  private int maximumPacketSize = 16777216;
  private int topicAliasMaximum = 16;
  private int outboundTopicAliasMaximum = 16;
  private boolean requestResponseInformation = false;
  private boolean requestProblemInformation = true;
  private String username = null;
  private String password = null;
  private JsonObject userProperties = new JsonObject();
  private MqttWill will = null;
  private TimeoutPreset timeoutPreset = TimeoutPreset.INTERNET;
  private long connectTimeoutMillis = TimeoutPreset.INTERNET.connectTimeoutMillis();
  private long ackTimeoutMillis = TimeoutPreset.INTERNET.ackTimeoutMillis();
  private long pingTimeoutMillis = TimeoutPreset.INTERNET.pingTimeoutMillis();
  private boolean reconnect = true;
  private boolean retryFirstConnect = false;
  private long reconnectInitialDelayMillis = 1000;
  private long reconnectMaxDelayMillis = 60000;
  private int reconnectMaxAttempts = 0;
  private double reconnectJitter = 0.5;
  private int offlineBufferMaxMessages = 10000;
  private long offlineBufferMaxBytes = 16777216;
  private OfflineDropPolicy offlineBufferDropPolicy = OfflineDropPolicy.DROP_OLDEST;
  private MqttTransport transport = MqttTransport.TCP;
  private String webSocketPath = "/mqtt";
  private boolean ssl = false;
  private boolean trustAll = false;
  private String caCertPath = null;
  private String certPath = null;
  private String keyPath = null;
  private boolean verifyHost = true;
  private String quicServerName = null;
  private long quicIdleTimeoutMillis = 120000;
  private boolean quicZeroRtt = false;

  public MqttClientOptions() {
  }

  public MqttClientOptions(MqttClientOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys and wrong types fail with {@code INVALID}. */
  public MqttClientOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER,
      "host", "port", "version", "clientId", "cleanStart", "keepAliveSeconds", "sessionExpiryIntervalSeconds", "receiveMaximum", "maximumPacketSize", "topicAliasMaximum", "outboundTopicAliasMaximum", "requestResponseInformation", "requestProblemInformation", "username", "password", "userProperties", "will", "timeoutPreset", "connectTimeoutMillis", "ackTimeoutMillis", "pingTimeoutMillis", "reconnect", "retryFirstConnect", "reconnectInitialDelayMillis", "reconnectMaxDelayMillis", "reconnectMaxAttempts", "reconnectJitter", "offlineBufferMaxMessages", "offlineBufferMaxBytes", "offlineBufferDropPolicy", "transport", "webSocketPath", "ssl", "trustAll", "caCertPath", "certPath", "keyPath", "verifyHost", "quicServerName", "quicIdleTimeoutMillis", "quicZeroRtt");
    setHost(o.string("host", host));
    setPort(o.integer("port", port));
    setVersion(o.enumValue("version", MqttVersion.class, version));
    setClientId(o.string("clientId", clientId));
    setCleanStart(o.bool("cleanStart", cleanStart));
    setKeepAliveSeconds(o.integer("keepAliveSeconds", keepAliveSeconds));
    setSessionExpiryIntervalSeconds(o.longValue("sessionExpiryIntervalSeconds", sessionExpiryIntervalSeconds));
    setReceiveMaximum(o.integer("receiveMaximum", receiveMaximum));
    setMaximumPacketSize(o.integer("maximumPacketSize", maximumPacketSize));
    setTopicAliasMaximum(o.integer("topicAliasMaximum", topicAliasMaximum));
    setOutboundTopicAliasMaximum(o.integer("outboundTopicAliasMaximum", outboundTopicAliasMaximum));
    setRequestResponseInformation(o.bool("requestResponseInformation", requestResponseInformation));
    setRequestProblemInformation(o.bool("requestProblemInformation", requestProblemInformation));
    setUsername(o.string("username", username));
    setPassword(o.string("password", password));
    JsonObject userPropertiesJson = o.object("userProperties");
    setUserProperties(userPropertiesJson == null ? new JsonObject() : userPropertiesJson);
    JsonObject willJson = o.object("will");
    setWill(willJson == null ? null : new MqttWill(willJson));
    setTimeoutPreset(o.enumValue("timeoutPreset", TimeoutPreset.class, timeoutPreset));
    setConnectTimeoutMillis(o.longValue("connectTimeoutMillis", connectTimeoutMillis));
    setAckTimeoutMillis(o.longValue("ackTimeoutMillis", ackTimeoutMillis));
    setPingTimeoutMillis(o.longValue("pingTimeoutMillis", pingTimeoutMillis));
    setReconnect(o.bool("reconnect", reconnect));
    setRetryFirstConnect(o.bool("retryFirstConnect", retryFirstConnect));
    setReconnectInitialDelayMillis(o.longValue("reconnectInitialDelayMillis", reconnectInitialDelayMillis));
    setReconnectMaxDelayMillis(o.longValue("reconnectMaxDelayMillis", reconnectMaxDelayMillis));
    setReconnectMaxAttempts(o.integer("reconnectMaxAttempts", reconnectMaxAttempts));
    setReconnectJitter(o.doubleValue("reconnectJitter", reconnectJitter));
    setOfflineBufferMaxMessages(o.integer("offlineBufferMaxMessages", offlineBufferMaxMessages));
    setOfflineBufferMaxBytes(o.longValue("offlineBufferMaxBytes", offlineBufferMaxBytes));
    setOfflineBufferDropPolicy(o.enumValue("offlineBufferDropPolicy", OfflineDropPolicy.class, offlineBufferDropPolicy));
    setTransport(o.enumValue("transport", MqttTransport.class, transport));
    setWebSocketPath(o.string("webSocketPath", webSocketPath));
    setSsl(o.bool("ssl", ssl));
    setTrustAll(o.bool("trustAll", trustAll));
    setCaCertPath(o.string("caCertPath", caCertPath));
    setCertPath(o.string("certPath", certPath));
    setKeyPath(o.string("keyPath", keyPath));
    setVerifyHost(o.bool("verifyHost", verifyHost));
    setQuicServerName(o.string("quicServerName", quicServerName));
    setQuicIdleTimeoutMillis(o.longValue("quicIdleTimeoutMillis", quicIdleTimeoutMillis));
    setQuicZeroRtt(o.bool("quicZeroRtt", quicZeroRtt));
  }

  /** Every option, defaults included. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("version", version.name())
      .put("clientId", clientId)
      .put("cleanStart", cleanStart)
      .put("keepAliveSeconds", keepAliveSeconds)
      .put("sessionExpiryIntervalSeconds", sessionExpiryIntervalSeconds)
      .put("receiveMaximum", receiveMaximum)
      .put("maximumPacketSize", maximumPacketSize)
      .put("topicAliasMaximum", topicAliasMaximum)
      .put("outboundTopicAliasMaximum", outboundTopicAliasMaximum)
      .put("requestResponseInformation", requestResponseInformation)
      .put("requestProblemInformation", requestProblemInformation)
      .put("username", username)
      .put("password", password)
      .put("userProperties", userProperties.copy())
      .put("will", will == null ? null : will.toJson())
      .put("timeoutPreset", timeoutPreset.name())
      .put("connectTimeoutMillis", connectTimeoutMillis)
      .put("ackTimeoutMillis", ackTimeoutMillis)
      .put("pingTimeoutMillis", pingTimeoutMillis)
      .put("reconnect", reconnect)
      .put("retryFirstConnect", retryFirstConnect)
      .put("reconnectInitialDelayMillis", reconnectInitialDelayMillis)
      .put("reconnectMaxDelayMillis", reconnectMaxDelayMillis)
      .put("reconnectMaxAttempts", reconnectMaxAttempts)
      .put("reconnectJitter", reconnectJitter)
      .put("offlineBufferMaxMessages", offlineBufferMaxMessages)
      .put("offlineBufferMaxBytes", offlineBufferMaxBytes)
      .put("offlineBufferDropPolicy", offlineBufferDropPolicy.name())
      .put("transport", transport.name())
      .put("webSocketPath", webSocketPath)
      .put("ssl", ssl)
      .put("trustAll", trustAll)
      .put("caCertPath", caCertPath)
      .put("certPath", certPath)
      .put("keyPath", keyPath)
      .put("verifyHost", verifyHost)
      .put("quicServerName", quicServerName)
      .put("quicIdleTimeoutMillis", quicIdleTimeoutMillis)
      .put("quicZeroRtt", quicZeroRtt);
  }

  /** Broker host name or address. Default {@code localhost}. */
  public String getHost() {
    return host;
  }

  public MqttClientOptions setHost(String host) {
    this.host = java.util.Objects.requireNonNull(host, "host");
    return this;
  }

  /** Broker port. Default 1883 (use 8883 with {@code ssl}). */
  public int getPort() {
    return port;
  }

  public MqttClientOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 1, 65535);
    return this;
  }

  /** Protocol version, {@code V5} or {@code V3_1_1}. Default {@code V5}. */
  public MqttVersion getVersion() {
    return version;
  }

  public MqttClientOptions setVersion(MqttVersion version) {
    this.version = java.util.Objects.requireNonNull(version, "version");
    return this;
  }

  /** Client identifier; empty lets an MQTT 5 broker assign one (MQTT 3.1.1 then needs {@code cleanStart}). Default empty. */
  public String getClientId() {
    return clientId;
  }

  public MqttClientOptions setClientId(String clientId) {
    this.clientId = java.util.Objects.requireNonNull(clientId, "clientId");
    return this;
  }

  /** Start a new session on the first connect (Clean Start / Clean Session); reconnects always try to resume. Default true. */
  public boolean isCleanStart() {
    return cleanStart;
  }

  public MqttClientOptions setCleanStart(boolean cleanStart) {
    this.cleanStart = cleanStart;
    return this;
  }

  /** Keep-alive in seconds (0 disables PINGREQ); a silent connection is declared dead within 1.5x this. Default 60. */
  public int getKeepAliveSeconds() {
    return keepAliveSeconds;
  }

  public MqttClientOptions setKeepAliveSeconds(int keepAliveSeconds) {
    this.keepAliveSeconds = (int) checkRange(OWNER, "keepAliveSeconds", keepAliveSeconds, 0, 65535);
    return this;
  }

  /** MQTT 5 Session Expiry Interval: how long the broker keeps the session after a disconnect (0 = ends with the connection, 4294967295 = never). MQTT 3.1.1 keeps the session when {@code cleanStart} is false. Default 0. */
  public long getSessionExpiryIntervalSeconds() {
    return sessionExpiryIntervalSeconds;
  }

  public MqttClientOptions setSessionExpiryIntervalSeconds(long sessionExpiryIntervalSeconds) {
    this.sessionExpiryIntervalSeconds = checkRange(OWNER, "sessionExpiryIntervalSeconds", sessionExpiryIntervalSeconds, 0, 0xFFFF_FFFFL);
    return this;
  }

  /** MQTT 5 Receive Maximum: how many inbound QoS 1/2 messages may be unacknowledged at once; a broker sending more is disconnected with 0x93. Default 1000. */
  public int getReceiveMaximum() {
    return receiveMaximum;
  }

  public MqttClientOptions setReceiveMaximum(int receiveMaximum) {
    this.receiveMaximum = (int) checkRange(OWNER, "receiveMaximum", receiveMaximum, 1, 65535);
    return this;
  }

  /** Largest packet accepted from the broker in bytes (sent as MQTT 5 Maximum Packet Size); a larger one closes the connection with 0x95. Default 16777216 (16 MiB). */
  public int getMaximumPacketSize() {
    return maximumPacketSize;
  }

  public MqttClientOptions setMaximumPacketSize(int maximumPacketSize) {
    this.maximumPacketSize = (int) checkRange(OWNER, "maximumPacketSize", maximumPacketSize, 64, 268_435_455);
    return this;
  }

  /** MQTT 5 Topic Alias Maximum: how many topic aliases the broker may use towards us. Default 16. */
  public int getTopicAliasMaximum() {
    return topicAliasMaximum;
  }

  public MqttClientOptions setTopicAliasMaximum(int topicAliasMaximum) {
    this.topicAliasMaximum = (int) checkRange(OWNER, "topicAliasMaximum", topicAliasMaximum, 0, 65535);
    return this;
  }

  /** How many topic aliases the client uses towards the broker at most (also bounded by the broker's Topic Alias Maximum; 0 disables them). When all are taken the least recently used alias is reassigned. Default 16. */
  public int getOutboundTopicAliasMaximum() {
    return outboundTopicAliasMaximum;
  }

  public MqttClientOptions setOutboundTopicAliasMaximum(int outboundTopicAliasMaximum) {
    this.outboundTopicAliasMaximum = (int) checkRange(OWNER, "outboundTopicAliasMaximum", outboundTopicAliasMaximum, 0, 65535);
    return this;
  }

  /** MQTT 5 Request Response Information. Default false. */
  public boolean isRequestResponseInformation() {
    return requestResponseInformation;
  }

  public MqttClientOptions setRequestResponseInformation(boolean requestResponseInformation) {
    this.requestResponseInformation = requestResponseInformation;
    return this;
  }

  /** MQTT 5 Request Problem Information: whether the broker may send reason strings and user properties on failures. Default true. */
  public boolean isRequestProblemInformation() {
    return requestProblemInformation;
  }

  public MqttClientOptions setRequestProblemInformation(boolean requestProblemInformation) {
    this.requestProblemInformation = requestProblemInformation;
    return this;
  }

  /** User name, or null. Default null. */
  public String getUsername() {
    return username;
  }

  public MqttClientOptions setUsername(String username) {
    this.username = username;
    return this;
  }

  /** Password (UTF-8), or null. Default null. */
  public String getPassword() {
    return password;
  }

  public MqttClientOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  /** MQTT 5 user properties of the CONNECT, names to string values. Default empty. */
  public JsonObject getUserProperties() {
    return userProperties;
  }

  public MqttClientOptions setUserProperties(JsonObject userProperties) {
    userProperties.forEach(e -> {
      if (!(e.getValue() instanceof String)) {
        throw new FlowException(FlowError.INVALID, "user property '" + e.getKey() + "' of MqttClientOptions must be a string");
      }
    });
    this.userProperties = userProperties.copy();
    return this;
  }

  /** The will message, or null for none. Default null. */
  public MqttWill getWill() {
    return will;
  }

  public MqttClientOptions setWill(MqttWill will) {
    this.will = will == null ? null : new MqttWill(will);
    return this;
  }

  /** The preset the three timeouts start from ({@code LOCAL}, {@code INTERNET}, {@code SATELLITE}); setting it overwrites them. Default {@code INTERNET}. */
  public TimeoutPreset getTimeoutPreset() {
    return timeoutPreset;
  }

  public MqttClientOptions setTimeoutPreset(TimeoutPreset timeoutPreset) {
    this.timeoutPreset = java.util.Objects.requireNonNull(timeoutPreset, "timeoutPreset");
    this.connectTimeoutMillis = timeoutPreset.connectTimeoutMillis();
    this.ackTimeoutMillis = timeoutPreset.ackTimeoutMillis();
    this.pingTimeoutMillis = timeoutPreset.pingTimeoutMillis();
    return this;
  }

  /** Time from opening the socket to the CONNACK. Default from the preset (30000). */
  public long getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public MqttClientOptions setConnectTimeoutMillis(long connectTimeoutMillis) {
    this.connectTimeoutMillis = checkRange(OWNER, "connectTimeoutMillis", connectTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Time for a PUBACK/PUBCOMP, SUBACK or UNSUBACK before the future fails with TIMEOUT. Default from the preset (10000). */
  public long getAckTimeoutMillis() {
    return ackTimeoutMillis;
  }

  public MqttClientOptions setAckTimeoutMillis(long ackTimeoutMillis) {
    this.ackTimeoutMillis = checkRange(OWNER, "ackTimeoutMillis", ackTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Time for a PINGRESP before the connection is declared dead (capped at half the keep-alive). Default from the preset (5000). */
  public long getPingTimeoutMillis() {
    return pingTimeoutMillis;
  }

  public MqttClientOptions setPingTimeoutMillis(long pingTimeoutMillis) {
    this.pingTimeoutMillis = checkRange(OWNER, "pingTimeoutMillis", pingTimeoutMillis, 1, Integer.MAX_VALUE);
    return this;
  }

  /** Reconnect automatically after a connection that was established is lost. Default true. */
  public boolean isReconnect() {
    return reconnect;
  }

  public MqttClientOptions setReconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /**
   * Keep trying when the first {@link MqttClient#connect()} fails, with the reconnect backoff and
   * attempt limit; {@code connect()} then completes on the first success. Needs {@code reconnect}. Default false.
   */
  public boolean isRetryFirstConnect() {
    return retryFirstConnect;
  }

  public MqttClientOptions setRetryFirstConnect(boolean retryFirstConnect) {
    this.retryFirstConnect = retryFirstConnect;
    return this;
  }

  /** Base delay of the first reconnect attempt; it doubles per attempt. Default 1000. */
  public long getReconnectInitialDelayMillis() {
    return reconnectInitialDelayMillis;
  }

  public MqttClientOptions setReconnectInitialDelayMillis(long reconnectInitialDelayMillis) {
    this.reconnectInitialDelayMillis = checkRange(OWNER, "reconnectInitialDelayMillis", reconnectInitialDelayMillis, 1, 3_600_000);
    return this;
  }

  /** Upper bound of the reconnect delay. Default 60000. */
  public long getReconnectMaxDelayMillis() {
    return reconnectMaxDelayMillis;
  }

  public MqttClientOptions setReconnectMaxDelayMillis(long reconnectMaxDelayMillis) {
    this.reconnectMaxDelayMillis = checkRange(OWNER, "reconnectMaxDelayMillis", reconnectMaxDelayMillis, 1, 86_400_000);
    return this;
  }

  /** Attempts before giving up (then buffered publishes fail with DISCONNECTED); 0 means forever. Default 0. */
  public int getReconnectMaxAttempts() {
    return reconnectMaxAttempts;
  }

  public MqttClientOptions setReconnectMaxAttempts(int reconnectMaxAttempts) {
    this.reconnectMaxAttempts = (int) checkRange(OWNER, "reconnectMaxAttempts", reconnectMaxAttempts, 0, Integer.MAX_VALUE);
    return this;
  }

  /** Fraction of each delay that is random (0 = exact exponential delays, 1 = anywhere from 0 to the delay). Default 0.5. */
  public double getReconnectJitter() {
    return reconnectJitter;
  }

  public MqttClientOptions setReconnectJitter(double reconnectJitter) {
    this.reconnectJitter = checkFraction("MqttClientOptions", "reconnectJitter", reconnectJitter);
    return this;
  }

  /** How many publishes the offline buffer holds (while disconnected or while the broker's Receive Maximum is used up); 0 fails publishes at once when they cannot be sent. Default 10000. */
  public int getOfflineBufferMaxMessages() {
    return offlineBufferMaxMessages;
  }

  public MqttClientOptions setOfflineBufferMaxMessages(int offlineBufferMaxMessages) {
    this.offlineBufferMaxMessages = (int) checkRange(OWNER, "offlineBufferMaxMessages", offlineBufferMaxMessages, 0, 10_000_000);
    return this;
  }

  /** How many payload bytes the offline buffer holds. Default 16777216 (16 MiB). */
  public long getOfflineBufferMaxBytes() {
    return offlineBufferMaxBytes;
  }

  public MqttClientOptions setOfflineBufferMaxBytes(long offlineBufferMaxBytes) {
    this.offlineBufferMaxBytes = checkRange(OWNER, "offlineBufferMaxBytes", offlineBufferMaxBytes, 0, Long.MAX_VALUE);
    return this;
  }

  /** At the limit the lowest priority is dropped first; within it {@code DROP_OLDEST} or {@code DROP_NEWEST}. Default {@code DROP_OLDEST}. */
  public OfflineDropPolicy getOfflineBufferDropPolicy() {
    return offlineBufferDropPolicy;
  }

  public MqttClientOptions setOfflineBufferDropPolicy(OfflineDropPolicy offlineBufferDropPolicy) {
    this.offlineBufferDropPolicy = java.util.Objects.requireNonNull(offlineBufferDropPolicy, "offlineBufferDropPolicy");
    return this;
  }

  /** {@code TCP}, {@code WEBSOCKET} (subprotocol {@code mqtt}) or {@code QUIC} (ALPN {@code mqtt}, always TLS). Default {@code TCP}. */
  public MqttTransport getTransport() {
    return transport;
  }

  public MqttClientOptions setTransport(MqttTransport transport) {
    this.transport = java.util.Objects.requireNonNull(transport, "transport");
    return this;
  }

  /** The HTTP path of the WebSocket endpoint when {@code transport} is {@code WEBSOCKET}. Default {@code /mqtt}. */
  public String getWebSocketPath() {
    return webSocketPath;
  }

  public MqttClientOptions setWebSocketPath(String webSocketPath) {
    if (webSocketPath == null || !webSocketPath.startsWith("/")) {
      throw new FlowException(FlowError.INVALID, "option 'webSocketPath' of MqttClientOptions must start with '/', not " + webSocketPath);
    }
    this.webSocketPath = webSocketPath;
    return this;
  }

  /** Use TLS over TCP or WebSocket ({@code QUIC} always uses TLS). Default false. */
  public boolean isSsl() {
    return ssl;
  }

  public MqttClientOptions setSsl(boolean ssl) {
    this.ssl = ssl;
    return this;
  }

  /** Trust any server certificate (tests only). Default false. */
  public boolean isTrustAll() {
    return trustAll;
  }

  public MqttClientOptions setTrustAll(boolean trustAll) {
    this.trustAll = trustAll;
    return this;
  }

  /** PEM file of the CA certificates to trust; null uses the JVM's trust store. Default null. */
  public String getCaCertPath() {
    return caCertPath;
  }

  public MqttClientOptions setCaCertPath(String caCertPath) {
    this.caCertPath = caCertPath;
    return this;
  }

  /** PEM file of the client certificate chain for mutual TLS, or null. Default null. */
  public String getCertPath() {
    return certPath;
  }

  public MqttClientOptions setCertPath(String certPath) {
    this.certPath = certPath;
    return this;
  }

  /** PEM file of the client private key for mutual TLS, or null. Default null. */
  public String getKeyPath() {
    return keyPath;
  }

  public MqttClientOptions setKeyPath(String keyPath) {
    this.keyPath = keyPath;
    return this;
  }

  /** Check that the server certificate names {@code host}. Default true. */
  public boolean isVerifyHost() {
    return verifyHost;
  }

  public MqttClientOptions setVerifyHost(boolean verifyHost) {
    this.verifyHost = verifyHost;
    return this;
  }

  /**
   * With {@code QUIC}: the TLS server name (SNI, and the name {@code verifyHost} checks), or null for
   * {@code host}. Default null.
   */
  public String getQuicServerName() {
    return quicServerName;
  }

  public MqttClientOptions setQuicServerName(String quicServerName) {
    this.quicServerName = quicServerName;
    return this;
  }

  /**
   * With {@code QUIC}: the QUIC idle timeout we announce; the connection ends after this long without a
   * packet either way (the smaller of ours and the broker's applies). Keep it above the keep-alive, whose
   * PINGREQs keep an idle connection open. Default 120000.
   */
  public long getQuicIdleTimeoutMillis() {
    return quicIdleTimeoutMillis;
  }

  public MqttClientOptions setQuicIdleTimeoutMillis(long quicIdleTimeoutMillis) {
    this.quicIdleTimeoutMillis = checkRange(OWNER, "quicIdleTimeoutMillis", quicIdleTimeoutMillis, 1, Long.MAX_VALUE);
    return this;
  }

  /**
   * With {@code QUIC}: on a reconnect to a broker that gave us a session ticket and allows early data,
   * send the CONNECT (and what follows it) in 0-RTT data, saving a round trip. Early data can be
   * replayed by an attacker on the path: a replayed QoS 0 publish is delivered again, with no packet id
   * to catch it. Default false.
   */
  public boolean isQuicZeroRtt() {
    return quicZeroRtt;
  }

  public MqttClientOptions setQuicZeroRtt(boolean quicZeroRtt) {
    this.quicZeroRtt = quicZeroRtt;
    return this;
  }
}
