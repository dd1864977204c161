package io.flowsdk.node;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Vertx;

/** Whether a node is clustered, and if so its Hazelcast cluster's name, whether its member runs and how many members it sees. */
record ClusterStatus(boolean clustered, String name, boolean running, int members) {

  static ClusterStatus of(Vertx vertx) {
    HazelcastInstance hazelcast = ClusterNodes.hazelcast(vertx);
    if (hazelcast == null) {
      return new ClusterStatus(false, null, true, 1);
    }
    boolean running = hazelcast.getLifecycleService().isRunning();
    return new ClusterStatus(true, hazelcast.getConfig().getClusterName(), running,
      running ? hazelcast.getCluster().getMembers().size() : 0);
  }

  /** "not clustered", or "clustered in 'NAME' with N members". */
  String describe() {
    if (!clustered) {
      return "not clustered";
    }
    return running ? "clustered in '" + name + "' with " + members + (members == 1 ? " member" : " members")
      : "clustered in '" + name + "', but its cluster member has stopped";
  }
}
