package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The registry of a node that is not clustered: records in this node's memory, on the broker's event
 * loop. Alone, the sessions themselves hold their deliveries, so nothing is journaled and a restart
 * loses them; {@link DiskSessionStore} writes the records through to a file and journals beside them.
 */
final class LocalSessionStore implements SessionStore {

  private final Map<String, SessionRecord> records = new HashMap<>();

  @Override
  public Future<Claim> claim(String clientId, SessionRecord wanted, boolean keepSubscriptions) {
    SessionRecord previous = records.get(clientId);
    long generation = SessionRecord.nextGeneration(previous, System.currentTimeMillis());
    records.put(clientId, new SessionRecord(wanted.node, wanted.epoch, generation, wanted.expirySeconds,
      keepSubscriptions && previous != null ? previous.subscriptions : List.of()));
    return Future.succeededFuture(new Claim(generation, previous));
  }

  @Override
  public Future<Claim> adopt(String clientId, String node, SessionRecord wanted) {
    SessionRecord current = records.get(clientId);
    if (current == null || !current.node.equals(node)) {
      return Future.succeededFuture();
    }
    if (current.expirySeconds == 0) {
      records.remove(clientId);
      return Future.succeededFuture(new Claim(current.generation, current));
    }
    long generation = SessionRecord.nextGeneration(current, System.currentTimeMillis());
    records.put(clientId, new SessionRecord(wanted.node, wanted.epoch, generation, current.expirySeconds, current.subscriptions));
    return Future.succeededFuture(new Claim(generation, current));
  }

  /** Takes {@code record}, read back from a file written by an earlier run of the node, as the record of {@code clientId}. */
  void restore(String clientId, SessionRecord record) {
    records.put(clientId, record);
  }

  @Override
  public Future<Map<String, String>> orphans(Set<String> liveNodes) {
    return Future.succeededFuture(Map.of());
  }

  @Override
  public Map<String, String> leftByEarlierRun() {
    return Map.of();
  }

  @Override
  public void onNodeLeft(Consumer<Set<String>> handler) {
  }

  @Override
  public Future<SessionRecord> get(String clientId) {
    return Future.succeededFuture(records.get(clientId));
  }

  @Override
  public Future<Boolean> update(String clientId, SessionRecord record, boolean detached) {
    SessionRecord current = records.get(clientId);
    boolean owner = current != null && current.epoch.equals(record.epoch);
    if (owner) {
      records.put(clientId, record);
    }
    return Future.succeededFuture(owner);
  }

  @Override
  public Future<Boolean> remove(String clientId, String epoch) {
    SessionRecord current = records.get(clientId);
    boolean owner = current != null && current.epoch.equals(epoch);
    if (owner) {
      records.remove(clientId);
    }
    return Future.succeededFuture(owner);
  }

  @Override
  public Future<Journaled> journaled(String clientId) {
    return Future.succeededFuture(Journaled.EMPTY);
  }

  @Override
  public Future<Void> clearBefore(String clientId, long generation) {
    return Future.succeededFuture();
  }

  @Override
  public SessionJournal journal(String clientId, long generation) {
    return SessionJournal.NONE;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
