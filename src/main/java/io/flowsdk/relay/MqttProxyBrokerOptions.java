package io.flowsdk.relay;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** One MQTT broker the {@link MqttProxyVerticle} forwards sessions to: an entry of {@link MqttProxyOptions#getBrokers()}. */
public class MqttProxyBrokerOptions {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 1884;

  private static final String OWNER = "MqttProxyBrokerOptions";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;

  public MqttProxyBrokerOptions() {
  }

  public MqttProxyBrokerOptions(String host, int port) {
    setHost(host);
    setPort(port);
  }

  public MqttProxyBrokerOptions(MqttProxyBrokerOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public MqttProxyBrokerOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "host", "port");
    setHost(o.string("host", DEFAULT_HOST));
    setPort(o.integer("port", DEFAULT_PORT));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }

  public String getHost() {
    return host;
  }

  /** The broker's host. Default {@value #DEFAULT_HOST}. */
  public MqttProxyBrokerOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The broker's MQTT port (TCP, or TLS with the proxy's {@code brokerTls}). Default {@value #DEFAULT_PORT}. */
  public MqttProxyBrokerOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 1, 65535);
    return this;
  }

  /** {@code host:port}, also the broker's key on the proxy's hash ring. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
