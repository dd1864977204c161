package io.flowsdk.node;

import io.flowsdk.FlowException;
import io.flowsdk.admin.ctl.FlowCtl;
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

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Starts a FlowSDK node with the arguments of {@link NodeArguments#USAGE}, or with a first argument
 * {@code ctl} runs the command-line client ({@link FlowCtl}) instead: {@code -conf FILE|JSON}
 * (without it the embedded {@code conf/flow.json}), {@code -cluster} to join the Hazelcast cluster
 * described by the top-level {@code cluster.xml} (or the node configuration's {@code cluster.config}),
 * ({@code -cluster-name NAME} to choose the cluster), {@code -Dflowsdk.portOffset=N} to shift every listener port for a second node on one machine. A bad
 * argument, a bad configuration or a verticle that fails to start ends the process with one line
 * saying which and why.
 */
public final class FlowNode implements VertxApplicationHooks {

  private final NodeArguments arguments;
  private final boolean clustered;
  private final JsonObject config;
  private NodeOptions options;

  private FlowNode(NodeArguments arguments, JsonObject config) {
    this.arguments = arguments;
    this.clustered = arguments.clustered();
    this.config = config;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("ctl")) {
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
      System.exit(FlowCtl.run(Arrays.copyOfRange(args, 1, args.length), out, err));
    }
    NodeArguments arguments = null;
    JsonObject config = null;
    try {
      arguments = NodeArguments.parse(args);
      if (arguments.help()) {
        System.out.print(NodeArguments.USAGE);
        return;
      }
      NodeLogging.configure(arguments.verbose());
      config = arguments.conf() == null ? ConfigSource.embedded() : ConfigSource.read(arguments.conf());
    } catch (FlowException e) {
      fatal(e.getMessage());
    }
    // the launcher gets only what it acts on: -conf and the rest are ours
    String[] launcherArgs = arguments.clustered() ? new String[] {"-cluster"} : new String[0];
    int code = new VertxApplication(launcherArgs, new FlowNode(arguments, config)).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * The launcher's own reading of -conf only warns on a bad file; ours, made in main, is the one used.
   * Every verticle's configuration is checked here, before Vert.x starts or joins a cluster.
   */
  @Override
  public JsonObject afterConfigParsed(JsonObject launcherConfig) {
    try {
      options = new NodeOptions(config);
      String offset = System.getProperty("flowsdk.portOffset");
      if (offset != null) {
        options.setPortOffset(Integer.parseInt(offset.trim()));
      }
      if (arguments.clusterName() != null) {
        options.setClusterName(arguments.clusterName());
      }
      DeploymentPlan.of(options);
    } catch (FlowException e) {
      fatal(e.getMessage());
    } catch (NumberFormatException e) {
      fatal("-Dflowsdk.portOffset must be a whole number: " + e.getMessage());
    }
    return config;
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
        builder.withClusterManager(new HazelcastClusterManager(ClusterConfig.forNode(options)));
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

  private static void fatal(String message) {
    System.err.println("flowsdk: " + message);
    System.exit(2);
  }
}
