package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * Options of the {@link RelayEdgeVerticle}: its MQTT listeners and limits, as every MQTT edge's
 * ({@link MqttEdgeOptions}), and the relay upstreams it opens streams to, in failover order. The JSON form is the
 * {@code config} of {@code verticles/relay-edge.json}; see docs/relay.md.
 */
public class RelayEdgeOptions extends MqttEdgeOptions<RelayEdgeOptions> {

  public static final String DEFAULT_NAME = "relay-edge";
  /** The port of an upstream whose JSON form has none: FlowSDK's s-proxy port, as {@link RelayUpstreamOptions#DEFAULT_PORT}. */
  public static final int DEFAULT_UPSTREAM_PORT = RelayUpstreamOptions.DEFAULT_PORT;
  public static final long DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS = 1_000;
  public static final long DEFAULT_UPSTREAM_RETRY_MAX_MILLIS = 30_000;
  public static final double DEFAULT_UPSTREAM_RETRY_JITTER = 0.2;

  private static final String OWNER = "RelayEdgeOptions";

  private final List<UpstreamAddressOptions> upstreams =
    new ArrayList<>(List.of(new UpstreamAddressOptions(UpstreamAddressOptions.DEFAULT_HOST, DEFAULT_UPSTREAM_PORT)));
  private BackoffOptions upstreamRetry =
    new BackoffOptions(DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS, DEFAULT_UPSTREAM_RETRY_MAX_MILLIS, DEFAULT_UPSTREAM_RETRY_JITTER);
  private String upstreamToken;
  private boolean upstreamTls;
  private String upstreamTlsCaPath;
  private String upstreamTlsCertPath;
  private String upstreamTlsKeyPath;

  public RelayEdgeOptions() {
    super(OWNER, DEFAULT_NAME);
  }

  public RelayEdgeOptions(RelayEdgeOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys, wrong types and out-of-range values fail with {@code INVALID}. */
  public RelayEdgeOptions(JsonObject json) {
    this();
    JsonOptions.rejectMoved(json, OWNER, Map.of("upstreamRetryInitialMillis", "upstreamRetry.initialMillis",
      "upstreamRetryMaxMillis", "upstreamRetry.maxMillis"));
    JsonOptions o = JsonOptions.read(json, OWNER, withEdgeKeys("upstreams", "upstreamRetry", "upstreamToken", "upstreamTls", "upstreamTlsCaPath", "upstreamTlsCertPath",
      "upstreamTlsKeyPath"));
    readEdgeOptions(o);
    o.objects("upstreams", entry -> new UpstreamAddressOptions(entry, DEFAULT_UPSTREAM_PORT)).ifPresent(this::setUpstreams);
    Optional.ofNullable(o.object("upstreamRetry"))
      .ifPresent(retry -> setUpstreamRetry(new BackoffOptions(retry, OWNER + ".upstreamRetry", upstreamRetry)));
    setUpstreamToken(o.string("upstreamToken", null));
    setUpstreamTls(o.bool("upstreamTls", false));
    setUpstreamTlsCaPath(o.string("upstreamTlsCaPath", null));
    setUpstreamTlsCertPath(o.string("upstreamTlsCertPath", null));
    setUpstreamTlsKeyPath(o.string("upstreamTlsKeyPath", null));
    if ((upstreamTlsCertPath == null) != (upstreamTlsKeyPath == null) || (upstreamTlsCertPath != null && !upstreamTls)) {
      throw new FlowException(FlowError.INVALID, OWNER + ": upstreamTlsCertPath and upstreamTlsKeyPath go together, and need upstreamTls=true");
    }
  }

  @Override
  public JsonObject toJson() {
    JsonArray upstreamArray = new JsonArray();
    upstreams.forEach(u -> upstreamArray.add(u.toJson()));
    return edgeJson()
      .put("upstreams", upstreamArray)
      .put("upstreamRetry", upstreamRetry.toJson())
      .put("upstreamToken", upstreamToken)
      .put("upstreamTls", upstreamTls)
      .put("upstreamTlsCaPath", upstreamTlsCaPath)
      .put("upstreamTlsCertPath", upstreamTlsCertPath)
      .put("upstreamTlsKeyPath", upstreamTlsKeyPath);
  }

  public List<UpstreamAddressOptions> getUpstreams() {
    return upstreams;
  }

  /**
   * The relay upstreams (ours or FlowSDK s-proxies) in failover order: a new session goes to the first
   * one that is not backing off after a failure. At least one. Default one, localhost:50515.
   */
  public RelayEdgeOptions setUpstreams(List<UpstreamAddressOptions> upstreams) {
    if (upstreams.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "option 'upstreams' of " + OWNER + " needs at least one upstream");
    }
    this.upstreams.clear();
    this.upstreams.addAll(upstreams);
    return this;
  }

  public BackoffOptions getUpstreamRetry() {
    return upstreamRetry;
  }

  /**
   * How long an upstream that could not be reached is skipped by new sessions: {@code initialMillis} after
   * its first failure, doubled after each further failure in a row up to {@code maxMillis}, the fraction
   * {@code jitter} of it random. Default {@value #DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS}, up to
   * {@value #DEFAULT_UPSTREAM_RETRY_MAX_MILLIS}, {@value #DEFAULT_UPSTREAM_RETRY_JITTER} random.
   */
  public RelayEdgeOptions setUpstreamRetry(BackoffOptions upstreamRetry) {
    this.upstreamRetry = Objects.requireNonNull(upstreamRetry, "upstreamRetry");
    return this;
  }

  public String getUpstreamToken() {
    return upstreamToken;
  }

  /**
   * The bearer token sent to every upstream as {@code authorization: Bearer <token>} (the gateway's
   * scheme; the upstream holds its SHA-256 in {@code tokens}). Default none.
   */
  public RelayEdgeOptions setUpstreamToken(String upstreamToken) {
    this.upstreamToken = upstreamToken;
    return this;
  }

  public boolean isUpstreamTls() {
    return upstreamTls;
  }

  /** Whether streams to the upstreams use TLS (HTTP/2 with ALPN). Default false. */
  public RelayEdgeOptions setUpstreamTls(boolean upstreamTls) {
    this.upstreamTls = upstreamTls;
    return this;
  }

  public String getUpstreamTlsCaPath() {
    return upstreamTlsCaPath;
  }

  /** PEM CA certificates the upstreams' certificates must chain to; default none: the JVM's trust store. */
  public RelayEdgeOptions setUpstreamTlsCaPath(String upstreamTlsCaPath) {
    this.upstreamTlsCaPath = upstreamTlsCaPath;
    return this;
  }

  public String getUpstreamTlsCertPath() {
    return upstreamTlsCertPath;
  }

  /** PEM certificate chain the edge presents to the upstreams (mutual TLS), with {@code upstreamTlsKeyPath}. Default none. */
  public RelayEdgeOptions setUpstreamTlsCertPath(String upstreamTlsCertPath) {
    this.upstreamTlsCertPath = upstreamTlsCertPath;
    return this;
  }

  public String getUpstreamTlsKeyPath() {
    return upstreamTlsKeyPath;
  }

  /** PEM private key of {@code upstreamTlsCertPath}. Default none. */
  public RelayEdgeOptions setUpstreamTlsKeyPath(String upstreamTlsKeyPath) {
    this.upstreamTlsKeyPath = upstreamTlsKeyPath;
    return this;
  }
}
