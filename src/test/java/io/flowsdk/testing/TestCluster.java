package io.flowsdk.testing;

import com.hazelcast.config.Config;
import io.flowsdk.node.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Clustered Vert.x instances for tests: the project's own {@code cluster.xml} (loopback TCP-IP
 * join) with a cluster name of the test's own, so concurrent test runs on one machine never merge.
 */
public final class TestCluster {

  private final String name;

  public TestCluster() {
    this("flowsdk-test-" + UUID.randomUUID());
  }

  /** Members of the cluster {@code name}, e.g. in a separate process that joins a test's cluster. */
  public TestCluster(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Starts one more member of this test's cluster; the event bus listens on 127.0.0.1. */
  public Future<Vertx> startNode() {
    return startNode(config -> {
    });
  }

  /** Starts one more member, its Hazelcast configuration (cluster.xml's) changed by {@code adjust} first. */
  public Future<Vertx> startNode(Consumer<Config> adjust) {
    Config config = ClusterConfig.load(Path.of("cluster.xml"));
    adjust.accept(config);
    config.setClusterName(name);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.logging.type", "none");
    // a member killed without leaving is removed within seconds, not Hazelcast's default minute
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    return ClusterConfig.startClustered(options, config);
  }
}
