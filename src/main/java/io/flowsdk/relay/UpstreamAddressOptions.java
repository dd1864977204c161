package io.flowsdk.relay;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Where an MQTT edge forwards sessions to: a relay upstream (ours, or a FlowSDK s-proxy) of
 * {@link RelayEdgeOptions#getUpstreams()}, or a broker of {@link MqttProxyOptions#getBrokers()}. Its JSON
 * form is {@code {"host": ..., "port": ...}}; a missing {@code port} is the default of the list it is in
 * (an upstream's {@value RelayEdgeOptions#DEFAULT_UPSTREAM_PORT}, a broker's {@value MqttProxyOptions#DEFAULT_BROKER_PORT}).
 */
public class UpstreamAddressOptions {

  public static final String DEFAULT_HOST = "localhost";

  private static final String OWNER = "UpstreamAddressOptions";

  private String host;
  private int port;

  public UpstreamAddressOptions(String host, int port) {
    setHost(host);
    setPort(port);
  }

  public UpstreamAddressOptions(UpstreamAddressOptions other) {
    this(other.host, other.port);
  }

  /**
   * Reads the JSON form, {@code defaultPort} where it has no {@code port}; unknown keys, wrong types and
   * out-of-range values fail with {@code INVALID}.
   */
  public UpstreamAddressOptions(JsonObject json, int defaultPort) {
    JsonOptions o = JsonOptions.read(json, OWNER, "host", "port");
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", defaultPort));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }

  public String getHost() {
    return host;
  }

  /** The host name or IP address. Default {@value #DEFAULT_HOST}. */
  public UpstreamAddressOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The port: an upstream's gRPC port, or a broker's MQTT port (TCP, or TLS with the proxy's {@code brokerTls}). */
  public UpstreamAddressOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 1, 65535);
    return this;
  }

  /** {@code host:port}: how failures name it, and a broker's key on the proxy's hash ring. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
