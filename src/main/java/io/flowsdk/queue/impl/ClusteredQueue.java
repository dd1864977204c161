package io.flowsdk.queue.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.projection.Projection;
import io.flowsdk.FlowException;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.queue.QueueStats;
import io.flowsdk.storage.impl.ClusterMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A queue in the Hazelcast maps {@code flowsdk.queue.<name>} (the items, partitioned by id, each
 * change a {@link QueueOp} entry processor run on the owning member and its synchronous backup), its dead
 * letters a queue of the same kind in {@code flowsdk.queue.<dead letter queue>} (by default
 * {@code flowsdk.queue.<name>.dlq}).
 *
 * <p>Every node keeps an index of the whole queue, fed by an entry listener and rebuilt (merged) from
 * a projection of the map's record headers when it opens and after a member leaves or partitions
 * move, since a member killed may not have sent its last events. The index is only a hint: the
 * entry processor decides, so two nodes that pick the same item find out there and the loser tries
 * its next one. Nodes
 * follow the same order (priority, then enqueue time), so consumers on several nodes collide on
 * the best items; strict order was chosen over claiming the items a node owns first.
 */
public final class ClusteredQueue extends IndexedQueue {

  private static final String MAP_PREFIX = "flowsdk.queue.";
  /** Ids tried for one on a partition this member owns (a lite member owns none). */
  private static final int MAX_ID_TRIES = 64;
  /** How often, at most, a node with nothing ready compares the map's size with its index's. */
  private static final long IDLE_CHECK_MILLIS = 5_000;
  /** The wait before a merge that failed (the cluster was changing) is tried again. */
  private static final long MERGE_RETRY_MILLIS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(ClusteredQueue.class);

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final IMap<String, byte[]> map;
  /** The map of {@link #deadLetters}; null in a dead-letter queue. */
  private final IMap<String, byte[]> deadLetterMap;
  private final PartitionService partitions;
  private final String memberTag;
  private long lastSeq;
  private boolean reconciling;
  private boolean reconcileAgain;
  private long lastIdleCheck;
  private volatile boolean closed;
  private UUID entryListener;
  private UUID membershipListener;
  private UUID migrationListener;

  private ClusteredQueue(Vertx vertx, String name, QueueOptions options, HazelcastInstance hz, ClusteredQueue deadLetters) {
    super(vertx, name, options, deadLetters);
    this.vertx = vertx;
    this.hz = hz;
    this.map = hz.getMap(MAP_PREFIX + name);
    this.deadLetterMap = deadLetters == null ? null : deadLetters.map;
    this.partitions = hz.getPartitionService();
    this.memberTag = hz.getCluster().getLocalMember().getUuid().toString().substring(0, 8);
  }

  public static Future<FlowQueue> open(Vertx vertx, String name, QueueOptions options) {
    String deadLetterQueue = options.deadLetterQueueOf(name);
    HazelcastInstance hz;
    try {
      checkName(name);
      hz = ClusterMaps.backedUp(vertx, "queue " + name, MAP_PREFIX + name, "FlowQueue.embedded");
      ClusterMaps.backedUp(vertx, "queue " + name, MAP_PREFIX + deadLetterQueue, "FlowQueue.embedded");
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> new ClusteredQueue(vertx, deadLetterQueue, options, hz, null))
      .compose(deadLetters -> deadLetters.listen().map(deadLetters))
      .compose(deadLetters -> vertx.executeBlocking(() -> new ClusteredQueue(vertx, name, options, hz, deadLetters))
        .compose(queue -> queue.listen().map((FlowQueue) queue))
        .recover(failure -> deadLetters.close().transform(v -> Future.failedFuture(failure))));
  }

  private Future<Void> listen() {
    return vertx.executeBlocking(() -> {
      entryListener = map.addEntryListener(new Indexer(), true);
      membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          context.runOnContext(v -> reconcile());
        }
      });
      migrationListener = partitions.addMigrationListener(new MigrationListener() {
        @Override
        public void migrationStarted(MigrationState state) {
        }

        @Override
        public void migrationFinished(MigrationState state) {
          context.runOnContext(v -> reconcile());
        }

        @Override
        public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        }

        @Override
        public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        }
      });
      return null;
    }).compose(v -> onContext(this::merge));
  }

  /** Merges the map's items into the index, once at a time (a request meanwhile runs one more). */
  private void reconcile() {
    if (closed) {
      return;
    }
    if (reconciling) {
      reconcileAgain = true;
      return;
    }
    reconciling = true;
    merge().onComplete(ar -> {
      reconciling = false;
      if (ar.failed() && !closed) {
        reconcileAgain = false;
        log.warn("queue " + name + ": merging the map's items into this node's index failed; trying again", ar.cause());
        vertx.setTimer(MERGE_RETRY_MILLIS, t -> reconcile());
      } else if (reconcileAgain) {
        reconcileAgain = false;
        reconcile();
      }
    });
  }

  /**
   * Hazelcast may lose the entry events a member had not sent when it crashed, and the merges after it left can run
   * before its partitions are taken over, so an item can be missing here: with nothing ready, once in a while, a map
   * holding more items than the index knows is merged again.
   */
  @Override
  void nothingReady() {
    long now = System.currentTimeMillis();
    if (now - lastIdleCheck < IDLE_CHECK_MILLIS) {
      return;
    }
    lastIdleCheck = now;
    size().onSuccess(items -> {
      if (items > index.size()) {
        reconcile();
      }
    });
  }

  /** Adds the items of the map the index does not know; the ones it knows but are gone fail their claim and leave it. */
  private Future<Void> merge() {
    return vertx.executeBlocking(() -> map.project(new Headers()), false).map(headers -> {
      for (Header h : headers) {
        if (!index.contains(h.id)) {
          index.put(h.id, ItemRecord.decode(h.header));
        }
      }
      return null;
    });
  }

  @Override
  long nextSeq() {
    lastSeq = Math.max(lastSeq + 1, System.currentTimeMillis() << 16);
    return lastSeq;
  }

  /**
   * {@code <hex seq>-<member>-<n>}, with the first {@code n} that puts the item on a partition this
   * member owns: then its enqueue, claim and ack here are local calls (plus the backup), and this
   * node's consumers, which prefer such items, rarely collide with another node's.
   */
  @Override
  String newId(long seq) {
    String base = Long.toHexString(seq) + "-" + memberTag + "-";
    for (int n = 0; n < MAX_ID_TRIES; n++) {
      String id = base + n;
      if (preferred(id)) {
        return id;
      }
    }
    return base + MAX_ID_TRIES;
  }

  @Override
  boolean preferred(String id) {
    Member owner = partitions.getPartition(id).getOwner();
    return owner != null && owner.localMember();
  }

  @Override
  Future<Void> store(String id, ItemRecord record) {
    return hazelcast(map.setAsync(id, record.encode().getBytes()));
  }

  @Override
  Future<QueueOp.Result> apply(String id, QueueOp op) {
    return hazelcast(map.submitToKey(id, op));
  }

  @Override
  Future<Optional<ItemRecord>> read(String id) {
    return hazelcast(map.getAsync(id)).map(bytes -> Optional.ofNullable(bytes).map(ItemRecord::decode));
  }

  /** The dead-letter queue's listener indexes the item on the other nodes; a crash between the two calls leaves it in both maps. */
  @Override
  Future<Void> bury(String id, ItemRecord deadLetter) {
    // the remove is called from the queue's context: a Hazelcast thread that completes a call may not make another
    return hazelcast(deadLetterMap.setAsync(id, deadLetter.encode().getBytes())).compose(v -> hazelcast(map.removeAsync(id))).mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return vertx.executeBlocking(map::size, false);
  }

  /** Counted from the maps, not the index (only a hint here), so every node answers the same. */
  @Override
  public Future<QueueStats> stats() {
    return vertx.executeBlocking(() -> {
      ItemCounts counts = new ItemCounts(System.currentTimeMillis());
      for (Header h : map.project(new Headers())) {
        ItemRecord r = ItemRecord.decode(h.header);
        counts.add(r.attempts, r.visibleAt);
      }
      return counts.stats(deadLetterMap == null ? 0 : deadLetterMap.size(), consumers.get());
    }, false);
  }

  /** Closes the dead-letter queue too. */
  @Override
  public Future<Void> close() {
    closed = true;
    Future<Void> closedHere = vertx.executeBlocking(() -> {
      map.removeEntryListener(entryListener);
      hz.getCluster().removeMembershipListener(membershipListener);
      partitions.removeMigrationListener(migrationListener);
      return null;
    });
    return deadLetters == null ? closedHere : closedHere.compose(v -> deadLetters.close());
  }

  private <T> Future<T> hazelcast(CompletionStage<T> stage) {
    return ClusterMaps.call(stage, context, "queue " + name);
  }

  /**
   * Tells the index of the items every node adds and removes, on the queue's context. Not of the
   * updates (deliveries, nacks, extensions): Hazelcast sends a listener only the kinds of event it
   * implements, and those would be a third of all events; an item another node delivered stays
   * ready here until a claim finds it busy and learns until when.
   */
  private final class Indexer implements EntryAddedListener<String, byte[]>,
    EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]>, EntryEvictedListener<String, byte[]> {

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
      ItemRecord r = ItemRecord.decode(ItemRecord.header(event.getValue()));
      context.runOnContext(v -> index.put(event.getKey(), r));
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
      remove(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> event) {
      remove(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> event) {
      remove(event);
    }

    private void remove(EntryEvent<String, byte[]> event) {
      context.runOnContext(v -> index.remove(event.getKey()));
    }
  }

  /** An item's id and record header, without its payload. */
  static final class Header implements IdentifiedDataSerializable {
    String id;
    byte[] header;

    /** For Hazelcast's factory, which then reads the fields. */
    Header() {
    }

    Header(String id, byte[] header) {
      this.id = id;
      this.header = header;
    }

    @Override
    public int getFactoryId() {
      return QueueSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return QueueSerializerHook.HEADER;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(id);
      out.writeByteArray(header);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      id = in.readString();
      header = in.readByteArray();
    }
  }

  /** Projects every item to its {@link Header}, on the members. */
  static final class Headers implements Projection<Map.Entry<String, byte[]>, Header>, IdentifiedDataSerializable {
    @Override
    public Header transform(Map.Entry<String, byte[]> entry) {
      return new Header(entry.getKey(), ItemRecord.header(entry.getValue()));
    }

    @Override
    public int getFactoryId() {
      return QueueSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return QueueSerializerHook.HEADERS;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
  }
}
