package io.flowsdk.admin.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;

/** The nodes of the cluster as Hazelcast sees them (a node's id is its member's UUID, as the flow bus's). */
public final class ClusterMembers {

  private ClusterMembers() {
  }

  /** The ids of every node, {@code localNode} alone when Vert.x is not clustered. */
  static List<String> nodeIds(Vertx vertx, String localNode) {
    HazelcastInstance hazelcast = hazelcast(vertx);
    if (hazelcast == null) {
      return List.of(localNode);
    }
    List<String> ids = new ArrayList<>();
    hazelcast.getCluster().getMembers().forEach(m -> ids.add(m.getUuid().toString()));
    return ids;
  }

  /** {@code {"clustered", "name", "members": [{"node", "address", "local"}]}}. */
  public static JsonObject describe(Vertx vertx, String localNode) {
    HazelcastInstance hazelcast = hazelcast(vertx);
    JsonArray members = new JsonArray();
    if (hazelcast == null) {
      members.add(new JsonObject().put("node", localNode).put("address", null).put("local", true));
      return new JsonObject().put("clustered", false).put("name", null).put("members", members);
    }
    for (Member m : hazelcast.getCluster().getMembers()) {
      members.add(new JsonObject().put("node", m.getUuid().toString()).put("address", m.getAddress().getHost() + ":"
        + m.getAddress().getPort()).put("local", m.localMember()));
    }
    return new JsonObject().put("clustered", true).put("name", hazelcast.getConfig().getClusterName()).put("members", members);
  }

  private static HazelcastInstance hazelcast(Vertx vertx) {
    if (!vertx.isClustered()) {
      return null;
    }
    return ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
  }
}
