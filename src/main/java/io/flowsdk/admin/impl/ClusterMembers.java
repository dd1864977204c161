package io.flowsdk.admin.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The nodes of the cluster as the admin API shows them ({@link ClusterNodes} has their ids). */
public final class ClusterMembers {

  private ClusterMembers() {
  }

  /** {@code {"clustered", "name", "members": [{"node", "address", "local"}]}}. */
  public static JsonObject describe(Vertx vertx, String localNode) {
    HazelcastInstance hazelcast = ClusterNodes.hazelcast(vertx);
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
}
