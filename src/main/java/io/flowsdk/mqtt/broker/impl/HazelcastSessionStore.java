package io.flowsdk.mqtt.broker.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.query.Predicate;
import io.flowsdk.FlowException;
import io.flowsdk.storage.impl.ClusterMaps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Sessions in the Vert.x cluster manager's Hazelcast instance: records in the map
 * {@code flowsdk.mqtt.sessions} (by client id, changed only by {@link SessionUpdate} entry processors)
 * and journaled deliveries in {@code flowsdk.mqtt.session-deliveries}, keyed
 * {@code clientId NUL generation NUL journal NUL sequence} and written by {@link KeyedJournal}. Both
 * maps must keep at least one synchronous backup (Hazelcast's default; {@link #open} checks it), so a
 * session outlives the node serving it. A record whose client stays away past its expiry expires in
 * Hazelcast (its TTL is set when the client leaves); the member owning it then deletes its deliveries, so a session whose node
 * crashed is removed everywhere too.
 */
final class HazelcastSessionStore implements SessionStore {

  static final String RECORDS = "flowsdk.mqtt.sessions";
  static final String DELIVERIES = "flowsdk.mqtt.session-deliveries";
  private static final Logger log = LoggerFactory.getLogger(HazelcastSessionStore.class);
  private static final char SEP = '\u0000';

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> records;
  private final IMap<String, String> deliveries;
  private final UUID expiryListener;
  private UUID membershipListener;

  private HazelcastSessionStore(Vertx vertx, Context context, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.context = context;
    this.hazelcast = hazelcast;
    this.records = hazelcast.getMap(RECORDS);
    this.deliveries = hazelcast.getMap(DELIVERIES);
    this.expiryListener = records.addLocalEntryListener((EntryExpiredListener<String, String>) this::expired,
      e -> true, true);
  }

  /** Opens the store on {@code context} (the broker's); fails with {@code INVALID} when a map keeps no synchronous backup. */
  static Future<SessionStore> open(Vertx vertx, Context context, HazelcastInstance hazelcast) {
    try {
      ClusterMaps.requireBackup(hazelcast, "MQTT broker sessions", RECORDS);
      ClusterMaps.requireBackup(hazelcast, "MQTT broker sessions", DELIVERIES);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> new HazelcastSessionStore(vertx, context, hazelcast));
  }

  @Override
  public Future<Claim> claim(String clientId, SessionRecord wanted, boolean keepSubscriptions) {
    return onContext(records.submitToKey(clientId, SessionUpdate.claim(wanted, keepSubscriptions, System.currentTimeMillis())))
      .map(text -> {
        JsonObject answer = new JsonObject(text);
        String previous = answer.getString("previous");
        return new Claim(answer.getLong("generation"), previous == null ? null : SessionRecord.decode(previous));
      });
  }

  @Override
  public Future<Claim> adopt(String clientId, String node, SessionRecord wanted) {
    return onContext(records.submitToKey(clientId, SessionUpdate.adopt(wanted, node, System.currentTimeMillis())))
      .map(text -> {
        if (text == null) {
          return null;
        }
        JsonObject answer = new JsonObject(text);
        return new Claim(answer.getLong("generation"), SessionRecord.decode(answer.getString("previous")));
      });
  }

  @Override
  public Future<Map<String, String>> orphans(Set<String> liveNodes) {
    return vertx.executeBlocking(() -> {
      Map<String, String> found = new HashMap<>();
      for (Map.Entry<String, String> e : records.entrySet(new ServedOutside(liveNodes))) {
        found.put(e.getKey(), SessionRecord.decode(e.getValue()).node);
      }
      return found;
    }, false);
  }

  @Override
  public Map<String, String> leftByEarlierRun() {
    return Map.of(); // the cluster's sessions are orphaned only by a node leaving it (onNodeLeft)
  }

  @Override
  public void onNodeLeft(Consumer<Set<String>> handler) {
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        Set<String> live = new HashSet<>();
        event.getMembers().forEach(m -> live.add(m.getUuid().toString()));
        context.runOnContext(v -> handler.accept(live));
      }
    });
  }

  @Override
  public Future<SessionRecord> get(String clientId) {
    return onContext(records.getAsync(clientId)).map(text -> text == null ? null : SessionRecord.decode(text));
  }

  @Override
  public Future<Boolean> update(String clientId, SessionRecord record, boolean detached) {
    SessionUpdate.Kind kind = detached ? SessionUpdate.Kind.DETACH : SessionUpdate.Kind.STORE;
    return onContext(records.submitToKey(clientId, SessionUpdate.ifOwner(kind, record))).map(SessionUpdate.APPLIED::equals);
  }

  @Override
  public Future<Boolean> remove(String clientId, String epoch) {
    return onContext(records.submitToKey(clientId, SessionUpdate.remove(epoch))).map(SessionUpdate.APPLIED::equals);
  }

  @Override
  public Future<Journaled> journaled(String clientId) {
    return vertx.executeBlocking(() -> {
      List<Map.Entry<String, String>> found = new ArrayList<>(deliveries.entrySet(new OfClient(clientId, Long.MAX_VALUE)));
      found.sort(Comparator.<Map.Entry<String, String>>comparingLong(e -> keyPart(e.getKey(), 1))
        .thenComparingLong(e -> keyPart(e.getKey(), 3)));
      return JournalEntries.read(found);
    }, false);
  }

  @Override
  public Future<Void> clearBefore(String clientId, long generation) {
    return vertx.executeBlocking(() -> {
      deliveries.removeAll(new OfClient(clientId, generation));
      return null;
    }, false);
  }

  @Override
  public SessionJournal journal(String clientId, long generation) {
    String keyPrefix = clientId + SEP + generation + SEP + UUID.randomUUID() + SEP;
    return new KeyedJournal(seq -> keyPrefix + seq, new KeyedJournal.Entries() {
      @Override
      public Future<Void> put(String key, String value) {
        return onContext(deliveries.setAsync(key, value)).mapEmpty();
      }

      @Override
      public Future<Void> remove(String key) {
        return onContext(deliveries.removeAsync(key)).mapEmpty();
      }
    });
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      if (membershipListener != null) {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      }
      return records.removeEntryListener(expiryListener);
    }, false).mapEmpty();
  }

  /** A record this member owns expired: the session ended with its client away; its deliveries go too. */
  private void expired(EntryEvent<String, String> event) {
    long generation = event.getOldValue() == null ? Long.MAX_VALUE - 1 : SessionRecord.decode(event.getOldValue()).generation;
    String clientId = event.getKey();
    vertx.executeBlocking(() -> {
      deliveries.removeAll(new OfClient(clientId, generation + 1));
      return null;
    }, false).onFailure(e -> log.warn("deliveries of the expired session " + clientId + " not deleted: " + e.getMessage()));
  }

  private <T> Future<T> onContext(CompletionStage<T> stage) {
    return ClusterMaps.call(stage, context, "MQTT session store");
  }

  /** Part {@code index} of a delivery key (1: the generation, 3: the sequence number). */
  private static long keyPart(String key, int index) {
    return Long.parseLong(key.split(String.valueOf(SEP), -1)[index]);
  }

  /** Deliveries of one client from generations before {@code beforeGeneration}; runs on the members. */
  private static final class OfClient implements Predicate<String, String> {
    private final String prefix;
    private final long beforeGeneration;

    OfClient(String clientId, long beforeGeneration) {
      this.prefix = clientId + SEP;
      this.beforeGeneration = beforeGeneration;
    }

    @Override
    public boolean apply(Map.Entry<String, String> entry) {
      String key = entry.getKey();
      if (!key.startsWith(prefix)) {
        return false;
      }
      int end = key.indexOf(SEP, prefix.length());
      return end > 0 && Long.parseLong(key.substring(prefix.length(), end)) < beforeGeneration;
    }
  }

  /** Records naming a node that is not among the live ones; runs on the members. */
  private static final class ServedOutside implements Predicate<String, String> {
    private final Set<String> liveNodes;

    ServedOutside(Set<String> liveNodes) {
      this.liveNodes = liveNodes;
    }

    @Override
    public boolean apply(Map.Entry<String, String> entry) {
      return !liveNodes.contains(SessionRecord.decode(entry.getValue()).node);
    }
  }
}
