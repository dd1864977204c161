package io.flowsdk.storage.impl;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.util.ClusterNodes;
import io.flowsdk.util.HazelcastFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.CompletionStage;

/** The Hazelcast maps that clustered tables, queues and broker sessions keep their data in, with the checks they share. */
public final class ClusterMaps {

  private ClusterMaps() {
  }

  /**
   * The Hazelcast instance of {@code vertx}'s cluster manager, once its map {@code mapName} is known
   * to keep at least one synchronous backup (so losing one member loses nothing acknowledged);
   * {@code INVALID} otherwise, naming {@code what} ("table jobs") and the fix.
   */
  public static HazelcastInstance backedUp(Vertx vertx, String what, String mapName, String standalone) {
    if (!(vertx instanceof VertxInternal) || !(((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager)) {
      throw new FlowException(FlowError.INVALID, what + ": Vert.x is not clustered with Hazelcast; use " + standalone);
    }
    HazelcastInstance hz = ClusterNodes.hazelcast(vertx);
    requireBackup(hz, what, mapName);
    return hz;
  }

  /** {@code INVALID}, naming {@code what} and the fix, unless {@code mapName} keeps at least one synchronous backup. */
  public static void requireBackup(HazelcastInstance hz, String what, String mapName) {
    int backups = hz.getConfig().getMapConfig(mapName).getBackupCount();
    if (backups < 1) {
      throw new FlowException(FlowError.INVALID, what + ": Hazelcast map " + mapName + " has " + backups
        + " synchronous backups; it needs at least 1 to lose nothing with a member (set <backup-count> in cluster.xml)");
    }
  }

  /**
   * {@code stage}, a Hazelcast async call, as a future completing on {@code context}; a failure becomes
   * {@code INTERNAL} naming {@code what} ("queue jobs: ...").
   */
  public static <T> Future<T> call(CompletionStage<T> stage, Context context, String what) {
    return HazelcastFutures.on(context, stage)
      .recover(e -> Future.failedFuture(new FlowException(FlowError.INTERNAL, what + ": " + e.getMessage(), e)));
  }
}
