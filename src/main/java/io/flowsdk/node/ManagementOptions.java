package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminTokenOptions;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.config.ListenerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link ManagementVerticle}: the HTTP listener with {@code /metrics}, {@code /health}
 * and the admin API under {@code /api}.
 */
public class ManagementOptions implements ListenerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_METRICS_PATH = "/metrics";
  public static final String DEFAULT_HEALTH_PATH = "/health";
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
  public static final long DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS = 10_000;
  public static final boolean DEFAULT_ADMIN = true;
  public static final long DEFAULT_ADMIN_REQUEST_TIMEOUT_MILLIS = 5_000;

  private static final String OWNER = "ManagementOptions";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String metricsPath = DEFAULT_METRICS_PATH;
  private String healthPath = DEFAULT_HEALTH_PATH;
  private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
  private long requestHeaderTimeoutMillis = DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS;
  private String tlsCertPath;
  private String tlsKeyPath;
  private boolean admin = DEFAULT_ADMIN;
  private final List<AdminTokenOptions> adminTokens = new ArrayList<>();
  private long adminRequestTimeoutMillis = DEFAULT_ADMIN_REQUEST_TIMEOUT_MILLIS;

  public ManagementOptions() {
  }

  public ManagementOptions(ManagementOptions other) {
    this(other.toJson());
  }

  public ManagementOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "host", "port", "metricsPath", "healthPath", "idleTimeoutMillis",
      "requestHeaderTimeoutMillis", "tlsCertPath", "tlsKeyPath", "admin", "adminTokens", "adminRequestTimeoutMillis");
    host = o.string("host", DEFAULT_HOST);
    setPort(o.integer("port", DEFAULT_PORT));
    metricsPath = o.string("metricsPath", DEFAULT_METRICS_PATH);
    healthPath = o.string("healthPath", DEFAULT_HEALTH_PATH);
    setIdleTimeoutMillis(o.longValue("idleTimeoutMillis", DEFAULT_IDLE_TIMEOUT_MILLIS));
    setRequestHeaderTimeoutMillis(o.longValue("requestHeaderTimeoutMillis", DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS));
    tlsCertPath = o.string("tlsCertPath", null);
    tlsKeyPath = o.string("tlsKeyPath", null);
    if ((tlsCertPath == null) != (tlsKeyPath == null)) {
      throw new FlowException(FlowError.INVALID, OWNER + " has only one of tlsCertPath and tlsKeyPath: set both PEM files for TLS");
    }
    admin = o.bool("admin", DEFAULT_ADMIN);
    JsonArray tokens = o.array("adminTokens");
    if (tokens != null) {
      for (int i = 0; i < tokens.size(); i++) {
        if (!(tokens.getValue(i) instanceof JsonObject)) {
          throw new FlowException(FlowError.INVALID, "entry adminTokens[" + i + "] of " + OWNER + " must be an object");
        }
        adminTokens.add(new AdminTokenOptions(tokens.getJsonObject(i)));
      }
    }
    setAdminRequestTimeoutMillis(o.longValue("adminRequestTimeoutMillis", DEFAULT_ADMIN_REQUEST_TIMEOUT_MILLIS));
  }

  public JsonObject toJson() {
    JsonArray tokens = new JsonArray();
    adminTokens.forEach(t -> tokens.add(t.toJson()));
    return new JsonObject().put("host", host).put("port", port).put("metricsPath", metricsPath).put("healthPath", healthPath)
      .put("idleTimeoutMillis", idleTimeoutMillis).put("requestHeaderTimeoutMillis", requestHeaderTimeoutMillis)
      .put("tlsCertPath", tlsCertPath).put("tlsKeyPath", tlsKeyPath)
      .put("admin", admin).put("adminTokens", tokens).put("adminRequestTimeoutMillis", adminRequestTimeoutMillis);
  }

  /**
   * Fails with {@code INVALID} when the admin API would be served off the loopback interface
   * without TLS or without tokens: anyone who reaches the port could read and disconnect clients.
   */
  public void checkAdminExposure() {
    if (!admin || isLoopback(host)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (!isTls()) {
      missing.add("TLS (tlsCertPath, tlsKeyPath)");
    }
    if (adminTokens.isEmpty()) {
      missing.add("bearer tokens (adminTokens)");
    }
    if (!missing.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "the admin API is served off the loopback interface only with TLS and bearer"
        + " tokens; the listener on " + host + " has no " + String.join(" and no ", missing)
        + ": set them, listen on 127.0.0.1, or set \"admin\": false");
    }
  }

  /** A loopback address by its text alone: the check makes no DNS lookup. */
  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
  }

  @Override
  public String protocol() {
    return "http";
  }

  /** TLS when {@link #getTlsCertPath()} and {@link #getTlsKeyPath()} are set. */
  @Override
  public boolean isTls() {
    return tlsCertPath != null && tlsKeyPath != null;
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

  /** PEM certificate (chain) of the listener; with {@link #getTlsKeyPath()} the listener speaks HTTPS. Default none. */
  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public ManagementOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  /** PEM private key of {@link #getTlsCertPath()}. Default none. */
  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  public ManagementOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  /** Whether the admin API is served under {@code /api}. Default true. */
  public boolean isAdmin() {
    return admin;
  }

  public ManagementOptions setAdmin(boolean admin) {
    this.admin = admin;
    return this;
  }

  /** Bearer tokens of the admin API (hashes and roles); without any, every caller is {@code ADMIN}. Default none. */
  public List<AdminTokenOptions> getAdminTokens() {
    return adminTokens;
  }

  public ManagementOptions addAdminToken(AdminTokenOptions token) {
    adminTokens.add(token);
    return this;
  }

  /** How long the node asked waits for every other node's answer to an admin request, in ms. Default 5000. */
  public long getAdminRequestTimeoutMillis() {
    return adminRequestTimeoutMillis;
  }

  public ManagementOptions setAdminRequestTimeoutMillis(long adminRequestTimeoutMillis) {
    this.adminRequestTimeoutMillis = checkRange(OWNER, "adminRequestTimeoutMillis", adminRequestTimeoutMillis, 1, 600_000);
    return this;
  }
}
