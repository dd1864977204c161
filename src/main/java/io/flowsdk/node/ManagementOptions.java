package io.flowsdk.node;

import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of the {@link ManagementVerticle}: the HTTP listener with {@code /metrics} and {@code /health}. */
public class ManagementOptions implements ListenerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_METRICS_PATH = "/metrics";
  public static final String DEFAULT_HEALTH_PATH = "/health";
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
  public static final long DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS = 10_000;

  private static final String OWNER = "ManagementOptions";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String metricsPath = DEFAULT_METRICS_PATH;
  private String healthPath = DEFAULT_HEALTH_PATH;
  private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
  private long requestHeaderTimeoutMillis = DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS;

  public ManagementOptions() {
  }

  public ManagementOptions(ManagementOptions other) {
    this(other.toJson());
  }

  public ManagementOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "host", "port", "metricsPath", "healthPath", "idleTimeoutMillis",
      "requestHeaderTimeoutMillis");
    host = o.string("host", DEFAULT_HOST);
    setPort(o.integer("port", DEFAULT_PORT));
    metricsPath = o.string("metricsPath", DEFAULT_METRICS_PATH);
    healthPath = o.string("healthPath", DEFAULT_HEALTH_PATH);
    setIdleTimeoutMillis(o.longValue("idleTimeoutMillis", DEFAULT_IDLE_TIMEOUT_MILLIS));
    setRequestHeaderTimeoutMillis(o.longValue("requestHeaderTimeoutMillis", DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("metricsPath", metricsPath).put("healthPath", healthPath)
      .put("idleTimeoutMillis", idleTimeoutMillis).put("requestHeaderTimeoutMillis", requestHeaderTimeoutMillis);
  }

  @Override
  public String protocol() {
    return "http";
  }

  /** Plain HTTP only. */
  @Override
  public boolean isTls() {
    return false;
  }

  /** Interface to listen on. Default 127.0.0.1. */
  public String getHost() {
    return host;
  }

  public ManagementOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** TCP port; 0 picks a free one. Default 8080. */
  public int getPort() {
    return port;
  }

  public ManagementOptions setPort(int port) {
    this.port = (int) checkRange(OWNER, "port", port, 0, 65535);
    return this;
  }

  /** Path of the Prometheus scrape endpoint. Default {@code /metrics}. */
  public String getMetricsPath() {
    return metricsPath;
  }

  public ManagementOptions setMetricsPath(String metricsPath) {
    this.metricsPath = metricsPath;
    return this;
  }

  /** Path of the health endpoint. Default {@code /health}. */
  public String getHealthPath() {
    return healthPath;
  }

  public ManagementOptions setHealthPath(String healthPath) {
    this.healthPath = healthPath;
    return this;
  }

  /**
   * A connection without a byte read or written for this long is closed (counted in
   * {@code flowsdk_http_idle_closed_total}), in ms. Default 60000.
   */
  public long getIdleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public ManagementOptions setIdleTimeoutMillis(long idleTimeoutMillis) {
    this.idleTimeoutMillis = checkRange(OWNER, "idleTimeoutMillis", idleTimeoutMillis, 1, 3_600_000);
    return this;
  }

  /**
   * Time from the first byte of a request to the end of its headers; a connection slower than that
   * is closed (counted in {@code flowsdk_http_request_header_timeouts_total}), in ms. Default 10000.
   */
  public long getRequestHeaderTimeoutMillis() {
    return requestHeaderTimeoutMillis;
  }

  public ManagementOptions setRequestHeaderTimeoutMillis(long requestHeaderTimeoutMillis) {
    this.requestHeaderTimeoutMillis = checkRange(OWNER, "requestHeaderTimeoutMillis", requestHeaderTimeoutMillis, 1, 3_600_000);
    return this;
  }
}
