package io.flowsdk.node;

import io.flowsdk.FlowException;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Starts a FlowSDK node with Vert.x launcher conventions: {@code -conf FILE|JSON} (without it the
 * embedded {@code conf/flow.json}), {@code -cluster} to join the Hazelcast cluster described by
 * the top-level {@code cluster.xml} (or the node configuration's {@code cluster.config}),
 * {@code -Dflowsdk.portOffset=N} to shift every listener port for a second node on one machine. A bad
 * configuration or a verticle that fails to start ends the process with one line saying which
 * and why.
 */
public final class FlowNode implements VertxApplicationHooks {

  static final String EMBEDDED_CONFIG = "conf/flow.json";

  private final boolean clustered;
  private NodeOptions options;

  private FlowNode(boolean clustered) {
    this.clustered = clustered;
  }

  public static void main(String[] args) {
    boolean clustered = Arrays.asList(args).contains("-cluster") || Arrays.asList(args).contains("--cluster");
    int code = new VertxApplication(args, new FlowNode(clustered)).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    JsonObject effective = config == null || config.isEmpty() ? embeddedConfig() : config;
    try {
      options = new NodeOptions(effective);
      String offset = System.getProperty("flowsdk.portOffset");
      if (offset != null) {
        options.setPortOffset(Integer.parseInt(offset.trim()));
      }
    } catch (FlowException e) {
      fatal("invalid node configuration: " + e.getMessage());
    } catch (NumberFormatException e) {
      fatal("-Dflowsdk.portOffset must be a whole number: " + e.getMessage());
    }
    return effective;
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    VertxOptions vertxOptions = context.vertxOptions();
    if (options.isMetricsEnabled()) {
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(options.isJvmMetrics())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    }
    if (clustered) {
      vertxOptions.getEventBusOptions().setHost(options.getClusterHost()).setPort(options.getClusterPort());
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions vertxOptions) {
    VertxBuilder builder = Vertx.builder().with(vertxOptions);
    if (clustered) {
      try {
        builder.withClusterManager(new HazelcastClusterManager(ClusterConfig.load(Path.of(options.getClusterConfig()))));
      } catch (FlowException e) {
        fatal(e.getMessage());
      }
    }
    return builder;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(options);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    fatal("Vert.x did not start" + (clustered ? " (could not join the cluster)" : "") + ": " + t.getMessage());
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    fatal("node did not start: " + t.getMessage());
  }

  private static JsonObject embeddedConfig() {
    try (InputStream in = FlowNode.class.getClassLoader().getResourceAsStream(EMBEDDED_CONFIG)) {
      if (in == null) {
        fatal("no -conf given and the embedded " + EMBEDDED_CONFIG + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      fatal("embedded " + EMBEDDED_CONFIG + " could not be read: " + e.getMessage());
      return null;
    }
  }

  private static void fatal(String message) {
    System.err.println("flowsdk: " + message);
    System.exit(2);
  }
}
