package io.flowsdk.relay;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * One relay upstream an edge may open streams to (ours, or a FlowSDK s-proxy): an entry of
 * {@link RelayEdgeOptions#getUpstreams()}.
 */
public class RelayUpstreamAddressOptions {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = RelayUpstreamOptions.DEFAULT_PORT;

  private static final String OWNER = "RelayUpstreamAddressOptions";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;

  public RelayUpstreamAddressOptions() {
  }

  public RelayUpstreamAddressOptions(String host, int port) {
    setHost(host);
    setPort(port);
  }

  public RelayUpstreamAddressOptions(RelayUpstreamAddressOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayUpstreamAddressOptions(JsonObject json) {
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

  /** The upstream's host. Default {@value #DEFAULT_HOST}. */
  public RelayUpstreamAddressOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The upstream's gRPC port. Default {@value #DEFAULT_PORT}. */
  public RelayUpstreamAddressOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 1, 65535);
    return this;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
