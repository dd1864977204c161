package io.flowsdk.bus.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.MapEvent;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.SubscriptionTrie;
import io.flowsdk.util.HazelcastFutures;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cluster routes in a Hazelcast map: one entry per (node, filter), written only by its node, whose
 * value says whether the node's subscribers take the filter's messages (false for a shared group
 * whose members there are all on stand-by). Each node mirrors the entries of the others into a local
 * trie through an entry listener, so planning a publish costs no cluster round trip. When a member
 * leaves, every node forgets its routes at once, the oldest member deletes its entries, and every
 * node writes its own entries again in case a partition was lost with the member.
 */
final class HazelcastRoutes implements ClusterRoutes {

  private static final Logger log = LoggerFactory.getLogger(HazelcastRoutes.class);
  private static final char SEPARATOR = '\u0000';

  private final ContextInternal busContext;
  private final HazelcastInstance hazelcast;
  private final String mapName;
  private final String nodeId;
  private final Supplier<Map<String, Boolean>> ownRoutes;
  private final Consumer<String> sharedGroupGone;
  private final SubscriptionTrie<RemoteRoute> trie = new SubscriptionTrie<>();
  private final Map<String, Set<String>> filtersByNode = new HashMap<>();
  /** How many other nodes have members of each shared group. */
  private final Map<String, Integer> sharedGroupNodes = new HashMap<>();
  /** For each load of the map's entries under way, the keys removed while it reads them. */
  private final List<Set<String>> removedWhileLoading = new ArrayList<>();
  private IMap<String, Boolean> map;
  private UUID entryListener;
  private UUID membershipListener;

  private HazelcastRoutes(ContextInternal busContext, HazelcastInstance hazelcast, String mapName,
                          Supplier<Map<String, Boolean>> ownRoutes, Consumer<String> sharedGroupGone) {
    this.busContext = busContext;
    this.hazelcast = hazelcast;
    this.mapName = mapName;
    this.nodeId = nodeIdOf(hazelcast);
    this.ownRoutes = ownRoutes;
    this.sharedGroupGone = sharedGroupGone;
  }

  /**
   * Joins the route table: listens, then loads the existing entries, all off the event loop (each
   * can wait on the cluster). Completes on the bus context. {@code ownRoutes} gives this node's routes (filter and
   * value) on the bus context; {@code sharedGroupGone} hears of a shared filter that no other node serves any more.
   */
  static Future<HazelcastRoutes> join(ContextInternal busContext, HazelcastInstance hazelcast, String mapName,
                                      Supplier<Map<String, Boolean>> ownRoutes, Consumer<String> sharedGroupGone) {
    HazelcastRoutes routes = new HazelcastRoutes(busContext, hazelcast, mapName, ownRoutes, sharedGroupGone);
    return routes.start().map(routes);
  }

  static String nodeIdOf(HazelcastInstance hazelcast) {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  private Future<Void> start() {
    return busContext.<Void>executeBlocking(() -> {
      map = hazelcast.getMap(mapName);
      entryListener = map.addEntryListener(new Listener(), true);
      membershipListener = hazelcast.getCluster().addMembershipListener(new Members());
      return null;
    }).compose(v -> load());
  }

  /**
   * Adds the map's entries to the trie, except those whose removal is heard while they are read. Adding an entry
   * twice is harmless, so events that cross the read need nothing else.
   */
  private Future<Void> load() {
    Set<String> removed = new HashSet<>();
    removedWhileLoading.add(removed);
    return busContext.executeBlocking(() -> new HashMap<>(map)).andThen(read -> removedWhileLoading.remove(removed)).map(entries -> {
      entries.forEach((key, active) -> {
        if (!removed.contains(key)) {
          added(key, active);
        }
      });
      return null;
    });
  }

  @Override
  public void plan(String topic, RoutePlan plan) {
    trie.match(topic, r -> {
      if (r.sharedFilter == null) {
        plan.toAll(r.node);
      } else {
        plan.sharedCandidate(r.sharedFilter, r.node, r.active);
      }
    });
  }

  @Override
  public Future<Void> announce(String filter, boolean active) {
    return HazelcastFutures.on(busContext, map.putAsync(key(nodeId, filter), active)).mapEmpty();
  }

  @Override
  public Future<Void> withdraw(String filter) {
    return HazelcastFutures.on(busContext, map.removeAsync(key(nodeId, filter))).mapEmpty();
  }

  @Override
  public boolean knows(String node) {
    return filtersByNode.containsKey(node);
  }

  @Override
  public boolean hasShared(String sharedFilter) {
    return sharedGroupNodes.containsKey(sharedFilter);
  }

  @Override
  public int size() {
    return trie.size();
  }

  @Override
  public Future<Void> close() {
    List<String> own = new ArrayList<>(ownRoutes.get().keySet());
    return busContext.executeBlocking(() -> {
      map.removeEntryListener(entryListener);
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      for (String filter : own) {
        map.delete(key(nodeId, filter));
      }
      return null;
    });
  }

  /** An entry added, or updated: {@code active} is its value. */
  private void added(String key, boolean active) {
    String node = nodeOf(key);
    if (node.equals(nodeId)) {
      return;
    }
    String filter = filterOf(key);
    boolean shared = SharedFilter.isShared(filter);
    RemoteRoute route = new RemoteRoute(node, shared ? filter : null, active);
    if (filtersByNode.computeIfAbsent(node, n -> new HashSet<>()).add(filter)) {
      trie.add(SharedFilter.matchFilter(filter), route);
      if (shared) {
        sharedGroupNodes.merge(filter, 1, Integer::sum);
      }
    } else if (shared) { // the group's members there went on stand-by or came off it: the route says so
      trie.remove(SharedFilter.matchFilter(filter), route);
      trie.add(SharedFilter.matchFilter(filter), route);
    }
  }

  private void removed(String key) {
    removedWhileLoading.forEach(keys -> keys.add(key));
    String node = nodeOf(key);
    Set<String> filters = filtersByNode.get(node);
    String filter = filterOf(key);
    if (filters != null && filters.remove(filter)) {
      boolean shared = SharedFilter.isShared(filter);
      trie.remove(SharedFilter.matchFilter(filter), new RemoteRoute(node, shared ? filter : null, true));
      if (filters.isEmpty()) {
        filtersByNode.remove(node);
      }
      if (shared && sharedGroupNodes.merge(filter, -1, (a, b) -> a + b == 0 ? null : a + b) == null) {
        sharedGroupGone.accept(filter);
      }
    }
  }

  /** Forgets the routes of {@code node} here. */
  private void forget(String node) {
    Set<String> filters = filtersByNode.get(node);
    if (filters != null) {
      for (String filter : new HashSet<>(filters)) {
        removed(key(node, filter));
      }
    }
  }

  /**
   * After a member left or the map was cleared: the oldest member deletes the entries of nodes
   * that are gone, and every node writes its own entries again.
   */
  private void repair() {
    Map<String, Boolean> own = ownRoutes.get();
    busContext.executeBlocking(() -> {
      Set<String> members = new HashSet<>();
      hazelcast.getCluster().getMembers().forEach(m -> members.add(m.getUuid().toString()));
      Iterator<Member> oldest = hazelcast.getCluster().getMembers().iterator();
      if (oldest.hasNext() && oldest.next().localMember()) {
        map.keySet().stream().filter(k -> !members.contains(nodeOf(k))).forEach(map::delete);
      }
      own.forEach((filter, active) -> map.set(key(nodeId, filter), active));
      return null;
    }).onFailure(e -> log.warn("repairing the flow bus route table failed", e));
  }

  private static String key(String node, String filter) {
    return node + SEPARATOR + filter;
  }

  private static String nodeOf(String key) {
    return key.substring(0, key.indexOf(SEPARATOR));
  }

  private static String filterOf(String key) {
    return key.substring(key.indexOf(SEPARATOR) + 1);
  }

  /**
   * A route of another node: to all its subscribers of a filter, or to its members of a shared filter, which are
   * all on stand-by unless {@link #active}. Equal by node and filter, whatever {@link #active} says.
   */
  private static final class RemoteRoute {
    final String node;
    final String sharedFilter;
    final boolean active;

    RemoteRoute(String node, String sharedFilter, boolean active) {
      this.node = node;
      this.sharedFilter = sharedFilter;
      this.active = active;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RemoteRoute && ((RemoteRoute) o).node.equals(node) && Objects.equals(((RemoteRoute) o).sharedFilter, sharedFilter);
    }

    @Override
    public int hashCode() {
      return node.hashCode() * 31 + Objects.hashCode(sharedFilter);
    }
  }

  /** Hazelcast calls this on its own threads; every change is applied on the bus context. */
  private final class Listener implements EntryAddedListener<String, Boolean>, EntryUpdatedListener<String, Boolean>,
    EntryRemovedListener<String, Boolean>, EntryEvictedListener<String, Boolean>, MapClearedListener {

    @Override
    public void entryAdded(EntryEvent<String, Boolean> event) {
      busContext.runOnContext(v -> added(event.getKey(), event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, Boolean> event) {
      busContext.runOnContext(v -> added(event.getKey(), event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, Boolean> event) {
      busContext.runOnContext(v -> removed(event.getKey()));
    }

    @Override
    public void entryEvicted(EntryEvent<String, Boolean> event) {
      busContext.runOnContext(v -> removed(event.getKey()));
    }

    /**
     * Another node may write its entries again before this event arrives here (Hazelcast orders a map's events per
     * key, not across keys), so its events can come before this one: forget all, then read the map again.
     */
    @Override
    public void mapCleared(MapEvent event) {
      busContext.runOnContext(v -> {
        new HashSet<>(filtersByNode.keySet()).forEach(HazelcastRoutes.this::forget);
        repair();
        load().onFailure(e -> log.warn("reloading the flow bus route table failed", e));
      });
    }
  }

  private final class Members implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      String node = event.getMember().getUuid().toString();
      busContext.runOnContext(v -> {
        forget(node);
        repair();
      });
    }
  }
}
