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
import java.util.stream.Stream;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * The options both MQTT edges share, the {@link RelayEdgeVerticle}'s ({@link RelayEdgeOptions}) and the
 * {@link MqttProxyVerticle}'s ({@link MqttProxyOptions}): a name, the MQTT listeners, the CONNECT timeout,
 * the session limit and the largest packet, under the same JSON keys in both.
 *
 * @param <O> the options class itself, whose setters these chain
 */
public abstract class MqttEdgeOptions<O extends MqttEdgeOptions<O>> implements ListenerSetOptions {

  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;

  private static final List<String> EDGE_KEYS =
    List.of("name", "listeners", "connectTimeoutMillis", "maxSessions", "maxPacketSize");

  private final String owner;
  private String name;
  private final List<MqttListenerOptions> listeners = new ArrayList<>(List.of(new MqttListenerOptions()));
  private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;

  /** {@code owner} names the options class in errors; {@code defaultName} is the default {@code name}. */
  protected MqttEdgeOptions(String owner, String defaultName) {
    this.owner = owner;
    this.name = defaultName;
  }

  /** The JSON keys of these options and then a subclass's {@code own}: every key its JSON form may have. */
  protected static String[] withEdgeKeys(String... own) {
    return Stream.concat(EDGE_KEYS.stream(), Stream.of(own)).toArray(String[]::new);
  }

  /** Reads these options' keys of a JSON form, those absent left at their defaults. */
  protected final void readEdgeOptions(JsonOptions o) {
    setName(o.string("name", name));
    o.objects("listeners", MqttListenerOptions::new).ifPresent(this::setListeners);
    setConnectTimeoutMillis(o.longValue("connectTimeoutMillis", DEFAULT_CONNECT_TIMEOUT_MILLIS));
    setMaxSessions(o.integer("maxSessions", DEFAULT_MAX_SESSIONS));
    setMaxPacketSize(o.integer("maxPacketSize", DEFAULT_MAX_PACKET_SIZE));
  }

  /** The JSON form of these options, for a subclass to add its own keys to. */
  protected final JsonObject edgeJson() {
    JsonArray listenerArray = new JsonArray();
    listeners.forEach(l -> listenerArray.add(l.toJson()));
    return new JsonObject()
      .put("name", name)
      .put("listeners", listenerArray)
      .put("connectTimeoutMillis", connectTimeoutMillis)
      .put("maxSessions", maxSessions)
      .put("maxPacketSize", maxPacketSize);
  }

  public abstract JsonObject toJson();

  @SuppressWarnings("unchecked")
  private O self() {
    return (O) this;
  }

  public String getName() {
    return name;
  }

  /** Names this edge in metrics (tag {@code relay}). Default the subclass's {@code DEFAULT_NAME}. */
  public O setName(String name) {
    this.name = name;
    return self();
  }

  /** Where MQTT clients connect. Default one TCP listener on 127.0.0.1:1883. */
  @Override
  public List<MqttListenerOptions> getListeners() {
    return listeners;
  }

  /**
   * The MQTT listeners: TCP or WebSocket ({@code /mqtt}, subprotocol {@code mqtt}), each optionally TLS,
   * exactly as the broker's listeners; no QUIC. At least one.
   */
  public O setListeners(List<MqttListenerOptions> listeners) {
    if (listeners.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'listeners' of " + owner + " needs at least one listener");
    }
    if (listeners.stream().anyMatch(l -> l.getTransport() == MqttListenerOptions.Transport.QUIC)) {
      throw new FlowException(FlowError.INVALID, "option 'listeners' of " + owner
        + " takes TCP and WEBSOCKET listeners; an MQTT edge serves no QUIC");
    }
    this.listeners.clear();
    this.listeners.addAll(listeners);
    return self();
  }

  public long getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /**
   * How long a new client connection may take to send its CONNECT (the relay edge: and its stream to an
   * upstream to open, failover included); past it the connection is closed. Default {@value #DEFAULT_CONNECT_TIMEOUT_MILLIS}.
   */
  public O setConnectTimeoutMillis(long connectTimeoutMillis) {
    this.connectTimeoutMillis = checkRange(owner, "connectTimeoutMillis", connectTimeoutMillis, 1, 3_600_000);
    return self();
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  /**
   * Most client connections one verticle instance carries at once; one more gets CONNACK "Server busy"
   * (5.0) or "Server unavailable" (3.1.1). Default {@value #DEFAULT_MAX_SESSIONS}.
   */
  public O setMaxSessions(int maxSessions) {
    this.maxSessions = (int) checkRange(owner, "maxSessions", maxSessions, 1, 10_000_000);
    return self();
  }

  public int getMaxPacketSize() {
    return maxPacketSize;
  }

  /**
   * The largest MQTT packet, in bytes, forwarded in either direction (the relay edge's gRPC message limit
   * is this plus 1 KiB). Default {@value #DEFAULT_MAX_PACKET_SIZE}.
   */
  public O setMaxPacketSize(int maxPacketSize) {
    this.maxPacketSize = (int) checkRange(owner, "maxPacketSize", maxPacketSize, 1024, 268_435_460);
    return self();
  }
}
