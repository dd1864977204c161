package io.flowsdk.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.Future;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;
import java.nio.file.Path;

/** Reads the Hazelcast configuration of a node from a file and starts clustered Vert.x instances with it. */
public final class ClusterConfig {

  private ClusterConfig() {
  }

  /** The Hazelcast configuration in {@code file}; fails with {@link FlowError#INVALID} naming the file when it is missing or bad. */
  public static Config load(Path file) {
    ConfigSource.requireFile(file, "cluster configuration");
    try {
      return new FileSystemXmlConfig(file.toFile());
    } catch (FileNotFoundException | RuntimeException e) {
      throw new FlowException(FlowError.INVALID, "cluster configuration " + file.toAbsolutePath() + " is not valid: " + e.getMessage(), e);
    }
  }

  /** The Hazelcast configuration of a node: its {@code cluster.config} file, with its {@code cluster.name} when that is set. */
  public static Config forNode(NodeOptions options) {
    Config config = load(Path.of(options.getClusterConfig()));
    if (options.getClusterName() != null) {
      config.setClusterName(options.getClusterName());
    }
    return config;
  }

  /** Starts a clustered Vert.x instance with {@code hazelcast} as its cluster configuration. */
  public static Future<Vertx> startClustered(VertxOptions options, Config hazelcast) {
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }
}
