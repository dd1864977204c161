package io.flowsdk.util;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;

/** The nodes of the cluster as Hazelcast sees them (a node's id is its member's UUID, as the flow bus's). */
public final class ClusterNodes {

  private ClusterNodes() {
  }

  /**
   * The ids of every node, oldest member first (Hazelcast gives every member the same order);
   * {@code localNode} alone when Vert.x is not clustered. A local read, it does not block.
   */
  public static List<String> nodeIds(Vertx vertx, String localNode) {
    HazelcastInstance hazelcast = hazelcast(vertx);
    if (hazelcast == null) {
      return List.of(localNode);
    }
    List<String> ids = new ArrayList<>();
    hazelcast.getCluster().getMembers().forEach(m -> ids.add(m.getUuid().toString()));
    return ids;
  }

  /** The Hazelcast instance Vert.x is clustered with, or null when it is not clustered. */
  public static HazelcastInstance hazelcast(Vertx vertx) {
    if (!vertx.isClustered()) {
      return null;
    }
    return ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
  }
}
