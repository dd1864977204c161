package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's configuration: the file given with {@code -conf} (default: the embedded
 * {@code conf/flow.json}). Unknown keys anywhere are errors.
 *
 * <pre>
 * { "portOffset": 0,
 *   "cluster":   { "config": "cluster.xml", "name": null, "host": "127.0.0.1", "port": 0 },
 *   "metrics":   { "enabled": true, "jvm": true },
 *   "bus":       { ...FlowBusOptions... },
 *   "verticles": [ { "name": "...", "verticle": "class", "instances": 1, "config": { ... } } ] }
 * </pre>
 */
public class NodeOptions {

  public static final String DEFAULT_CLUSTER_CONFIG = "cluster.xml";
  public static final String DEFAULT_CLUSTER_HOST = "127.0.0.1";

  private String clusterConfig = DEFAULT_CLUSTER_CONFIG;
  private String clusterName;
  private String clusterHost = DEFAULT_CLUSTER_HOST;
  private int clusterPort;
  private int portOffset;
  private boolean metricsEnabled = true;
  private boolean jvmMetrics = true;
  private FlowBusOptions bus = new FlowBusOptions();
  private List<VerticleSpec> verticles = new ArrayList<>();

  public NodeOptions() {
  }

  public NodeOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "node configuration", "portOffset", "cluster", "metrics", "bus", "verticles");
    setPortOffset(o.integer("portOffset", 0));
    JsonObject cluster = o.object("cluster");
    if (cluster != null) {
      JsonOptions c = JsonOptions.read(cluster, "node configuration 'cluster'", "config", "name", "host", "port");
      clusterConfig = c.string("config", DEFAULT_CLUSTER_CONFIG);
      setClusterName(c.string("name", null));
      clusterHost = c.string("host", DEFAULT_CLUSTER_HOST);
      clusterPort = (int) JsonOptions.checkRange("node configuration 'cluster'", "port", c.integer("port", 0), 0, 65535);
    }
    JsonObject metrics = o.object("metrics");
    if (metrics != null) {
      JsonOptions m = JsonOptions.read(metrics, "node configuration 'metrics'", "enabled", "jvm");
      metricsEnabled = m.bool("enabled", true);
      jvmMetrics = m.bool("jvm", true);
    }
    JsonObject busJson = o.object("bus");
    bus = busJson == null ? new FlowBusOptions() : new FlowBusOptions(busJson);
    JsonArray list = o.array("verticles");
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        Object entry = list.getValue(i);
        if (!(entry instanceof JsonObject)) {
          throw new FlowException(FlowError.INVALID, "entry verticles[" + i + "] of the node configuration must be an object, not " + Json.encode(entry));
        }
        verticles.add(new VerticleSpec((JsonObject) entry));
      }
    }
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    verticles.forEach(v -> list.add(v.toJson()));
    return new JsonObject()
      .put("portOffset", portOffset)
      .put("cluster", new JsonObject().put("config", clusterConfig).put("name", clusterName).put("host", clusterHost)
        .put("port", clusterPort))
      .put("metrics", new JsonObject().put("enabled", metricsEnabled).put("jvm", jvmMetrics))
      .put("bus", bus.toJson())
      .put("verticles", list);
  }

  /**
   * Added to every listener's non-zero effective port (the {@code port} of its configuration, or its
   * default when that is omitted or {@code null}), so a second node on the same machine needs only
   * {@code -Dflowsdk.portOffset=1} (the system property wins over this key). Default 0.
   */
  public int getPortOffset() {
    return portOffset;
  }

  public NodeOptions setPortOffset(int portOffset) {
    this.portOffset = (int) JsonOptions.checkRange("node configuration", "portOffset", portOffset, 0, 60000);
    return this;
  }

  /** Hazelcast configuration file used with {@code -cluster}, relative to the working directory. Default {@code cluster.xml}. */
  public String getClusterConfig() {
    return clusterConfig;
  }

  public NodeOptions setClusterConfig(String clusterConfig) {
    this.clusterConfig = clusterConfig;
    return this;
  }

  /**
   * Hazelcast cluster name: only members with the same name form a cluster, so nodes of different
   * clusters on one host (all scanning ports 5701-5720) stay apart. {@code -cluster-name NAME} wins
   * over this key. Default {@code null}: the {@code <cluster-name>} of the cluster configuration file.
   */
  public String getClusterName() {
    return clusterName;
  }

  public NodeOptions setClusterName(String clusterName) {
    if (clusterName != null && clusterName.isBlank()) {
      throw new FlowException(FlowError.INVALID, "option 'name' of node configuration 'cluster' must not be empty");
    }
    this.clusterName = clusterName;
    return this;
  }

  /** Address the clustered event bus listens on and announces. Default 127.0.0.1. */
  public String getClusterHost() {
    return clusterHost;
  }

  public NodeOptions setClusterHost(String clusterHost) {
    this.clusterHost = clusterHost;
    return this;
  }

  /** Port of the clustered event bus; 0 picks a free one. Default 0. */
  public int getClusterPort() {
    return clusterPort;
  }

  public NodeOptions setClusterPort(int clusterPort) {
    this.clusterPort = clusterPort;
    return this;
  }

  /** Whether Micrometer metrics (Prometheus format) are collected. Default true. */
  public boolean isMetricsEnabled() {
    return metricsEnabled;
  }

  public NodeOptions setMetricsEnabled(boolean metricsEnabled) {
    this.metricsEnabled = metricsEnabled;
    return this;
  }

  /** Whether JVM meters (memory, GC, threads) are included. Default true. */
  public boolean isJvmMetrics() {
    return jvmMetrics;
  }

  public NodeOptions setJvmMetrics(boolean jvmMetrics) {
    this.jvmMetrics = jvmMetrics;
    return this;
  }

  public FlowBusOptions getBus() {
    return bus;
  }

  public NodeOptions setBus(FlowBusOptions bus) {
    this.bus = bus;
    return this;
  }

  /** Verticles deployed in order; the node fails to start if one fails. */
  public List<VerticleSpec> getVerticles() {
    return verticles;
  }

  public NodeOptions setVerticles(List<VerticleSpec> verticles) {
    this.verticles = verticles;
    return this;
  }
}
