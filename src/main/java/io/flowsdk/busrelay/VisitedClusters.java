package io.flowsdk.busrelay;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Loop prevention between clusters: every relay that carries a message away from a cluster adds one
 * {@value #HEADER} header naming it (a flow-bus header, so it travels as an MQTT 5 user property and
 * as a gRPC {@code Header}), and no relay brings a message into a cluster it names. Relays forming a
 * ring therefore deliver a message once per cluster and the last hop drops it.
 */
public final class VisitedClusters {

  /** The header naming one cluster the message has left; repeated once per cluster. */
  public static final String HEADER = "flowsdk-visited";

  private VisitedClusters() {
  }

  /** Whether {@code message} has already been on the flow bus of {@code cluster}. */
  public static boolean visited(FlowMessage message, String cluster) {
    return message.headers().stream().anyMatch(h -> h.name().equals(HEADER) && h.value().equals(cluster));
  }

  /** {@code message} marked as having been on {@code cluster} (unchanged when it is marked already). */
  public static FlowMessage leaving(FlowMessage message, String cluster) {
    return visited(message, cluster) ? message : message.toBuilder().header(HEADER, cluster).build();
  }

  /**
   * The id of this node's cluster, when the options do not name one: the Hazelcast cluster name of a
   * clustered node (the same on every member, which is the point), otherwise the flow bus's node id.
   */
  public static String localCluster(Vertx vertx, FlowBus bus, String configured) {
    if (configured != null) {
      return configured;
    }
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hazelcast) {
      return hazelcast.getHazelcastInstance().getConfig().getClusterName();
    }
    return bus.nodeId();
  }
}
