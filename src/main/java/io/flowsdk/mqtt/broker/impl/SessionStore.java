package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The broker's registry of sessions by client id, and the journals of their deliveries: in Hazelcast
 * when the node is clustered ({@link HazelcastSessionStore}: every node sees who serves a session, and
 * a session survives the node serving it), in this node's memory alone ({@link LocalSessionStore}),
 * or in this node's memory and a file ({@link DiskSessionStore}: a session survives a restart).
 */
interface SessionStore {

  /** What a claim found: the generation it got, and the record it replaced (null: there was none). */
  final class Claim {
    final long generation;
    final SessionRecord previous;

    Claim(long generation, SessionRecord previous) {
      this.generation = generation;
      this.previous = previous;
    }
  }

  /** What the journals of a client id hold: its deliveries, oldest first, and its QoS 2 packet ids awaiting PUBREL, with their keys. */
  final class Journaled {
    static final Journaled EMPTY = new Journaled(List.of(), Map.of());

    final List<StoredDelivery> deliveries;
    final Map<Integer, String> awaitingRelease;

    Journaled(List<StoredDelivery> deliveries, Map<Integer, String> awaitingRelease) {
      this.deliveries = deliveries;
      this.awaitingRelease = awaitingRelease;
    }
  }

  /**
   * Makes {@code wanted} (this node, a new epoch) the owner of {@code clientId}, whoever owned it:
   * the newest CONNECT takes a session over. The subscriptions stay when {@code keepSubscriptions}.
   */
  Future<Claim> claim(String clientId, SessionRecord wanted, boolean keepSubscriptions);

  /**
   * Makes {@code wanted} (this node, a new epoch) the owner of {@code clientId} only while the record
   * still names {@code node} (one that left the cluster), keeping its subscriptions and expiry; a
   * session of expiry 0 is removed instead (it ended with its connection). Completes with null when
   * another node claimed or adopted it first.
   */
  Future<Claim> adopt(String clientId, String node, SessionRecord wanted);

  /** The client ids whose records name a node outside {@code liveNodes}, with that node. */
  Future<Map<String, String>> orphans(Set<String> liveNodes);

  /**
   * The client ids whose records this store kept from an earlier run of the node (a standalone
   * node's file), with the node id of that run: as orphaned as those of a node that left the cluster.
   * Empty for a store that lives only as long as the node (memory) or is the cluster's.
   */
  Map<String, String> leftByEarlierRun();

  /** Calls {@code handler} on the broker's context with the ids of the nodes still members each time one leaves the cluster. */
  void onNodeLeft(Consumer<Set<String>> handler);

  /** The record of {@code clientId} now, or null. */
  Future<SessionRecord> get(String clientId);

  /** Stores {@code record} (subscriptions or expiry changed) while its epoch still owns the session; completes with whether it did. */
  Future<Boolean> update(String clientId, SessionRecord record, boolean detached);

  /** Removes the record while {@code epoch} still owns it; completes with whether it did. */
  Future<Boolean> remove(String clientId, String epoch);

  /** What the journals of {@code clientId} hold. */
  Future<Journaled> journaled(String clientId);

  /** Deletes the journaled deliveries of {@code clientId} from generations before {@code generation} (a clean start). */
  Future<Void> clearBefore(String clientId, long generation);

  /** The journal a persistent session of generation {@code generation} writes to. */
  SessionJournal journal(String clientId, long generation);

  /** Stops listening to the store. */
  Future<Void> close();
}
