package io.flowsdk.bus.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.SubscriptionTrie;
import io.flowsdk.util.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions of this node, matched by topic, and delivery to them. Lives on the bus
 * context, but for {@link #match} and a QoS 0 {@link #deliver} without shared groups, which any
 * thread may call. Shared subscriptions are indexed by their inner filter and take turns per group,
 * among the members not on stand-by while the group has any here.
 */
final class LocalIndex {

  private final SubscriptionTrie<LocalSubscription> trie = new SubscriptionTrie<>();
  private final Map<String, Integer> filterCounts = new HashMap<>();
  /** Per shared filter, how many of its members here are not on stand-by. */
  private final Map<String, Integer> activeMembers = new HashMap<>();
  private final SharedTurns sharedTurns = new SharedTurns();
  private final ContextInternal busContext;
  private final BusMeters meters;
  /** The QoS 1/2 deliveries not yet acknowledged by all their subscribers, by deadline. */
  private final Deadlines<Acknowledged> deadlines;

  LocalIndex(ContextInternal busContext, BusMeters meters, long ackTimeoutMillis) {
    this.busContext = busContext;
    this.meters = meters;
    this.deadlines = new Deadlines<>(busContext.owner(), ackTimeoutMillis, d -> d.expire(ackTimeoutMillis));
  }

  /** Adds the subscription; true when it is the first one with its filter (the route must be announced). */
  boolean add(LocalSubscription s) {
    trie.add(s.matchFilter, s);
    if (s.sharedFilter != null && !s.standBy) {
      activeMembers.merge(s.sharedFilter, 1, Integer::sum);
    }
    return filterCounts.merge(s.filter, 1, Integer::sum) == 1;
  }

  /** Removes the subscription; true when it was the last one with its filter (the route must be withdrawn). */
  boolean remove(LocalSubscription s) {
    if (!trie.remove(s.matchFilter, s)) {
      return false;
    }
    if (s.sharedFilter != null && !s.standBy) {
      activeMembers.merge(s.sharedFilter, -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    boolean last = filterCounts.merge(s.filter, -1, (a, b) -> a + b == 0 ? null : a + b) == null;
    if (last && s.sharedFilter != null) {
      sharedTurns.forget(s.sharedFilter);
    }
    return last;
  }

  /**
   * Puts the shared subscription {@code s}, which is here, on stand-by or takes it off; true when that
   * changed whether its group has a member here that is not on stand-by (the route must say so).
   */
  boolean standBy(LocalSubscription s, boolean standBy) {
    if (s.standBy == standBy) {
      return false;
    }
    boolean before = hasActive(s.filter);
    s.standBy = standBy;
    activeMembers.merge(s.sharedFilter, standBy ? -1 : 1, (a, b) -> a + b == 0 ? null : a + b);
    return before != hasActive(s.filter);
  }

  /** Whether {@code filter}'s subscribers here take its messages: not a shared group's on stand-by only. */
  boolean hasActive(String filter) {
    return !SharedFilter.isShared(filter) || activeMembers.containsKey(filter);
  }

  /** Whether a subscription with {@code filter} (shared ones with their prefix) is here. */
  boolean has(String filter) {
    return filterCounts.containsKey(filter);
  }

  /** Shared groups whose turn is remembered, for tests that check nothing is kept for closed groups. */
  int sharedTurnsHeld() {
    return sharedTurns.size();
  }

  /** The filters (shared ones with their prefix) this node subscribes to. */
  Iterable<String> filters() {
    return filterCounts.keySet();
  }

  int size() {
    return trie.size();
  }

  /** The local subscriptions whose filters match {@code topic}. */
  List<LocalSubscription> match(String topic) {
    List<LocalSubscription> matches = new ArrayList<>(4);
    trie.match(topic, matches::add);
    return matches;
  }

  /** True when no subscription in {@code matches} belongs to a shared group. */
  static boolean noneShared(List<LocalSubscription> matches) {
    for (LocalSubscription s : matches) {
      if (s.sharedFilter != null) {
        return false;
      }
    }
    return true;
  }

  /** Adds what this node would receive of its {@code matches} to the plan. */
  static void plan(List<LocalSubscription> matches, String nodeId, RoutePlan plan) {
    for (LocalSubscription s : matches) {
      if (s.sharedFilter == null) {
        plan.toAll(nodeId);
      } else {
        plan.sharedCandidate(s.sharedFilter, nodeId, !s.standBy);
      }
    }
  }

  /**
   * Delivers to the matching local subscriptions the delivery addresses. For QoS 0 the future
   * completes at once with the number of subscribers offered to; for QoS 1/2 when all of them
   * acknowledged, failing with the first failure, and at the latest after {@code ackTimeoutMillis}
   * (see {@link Handoff#expire}).
   */
  Future<Integer> deliver(NodeDelivery d) {
    return deliver(d, match(d.message.topic()));
  }

  /** As {@link #deliver(NodeDelivery)}, to {@code matches} already found for the delivery's topic. */
  Future<Integer> deliver(NodeDelivery d, List<LocalSubscription> matches) {
    FlowMessage message = d.message;
    if (message.isExpired(System.currentTimeMillis())) {
      meters.dropped(BusMeters.DropReason.EXPIRED);
      return Future.succeededFuture(0);
    }
    List<LocalSubscription> targets = targets(d, matches);
    boolean acknowledged = message.qos() != QoS.AT_MOST_ONCE;
    if (!acknowledged) {
      for (LocalSubscription s : targets) {
        s.offer(new Handoff(downgrade(message, s)));
      }
      return Future.succeededFuture(targets.size());
    }
    if (targets.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Acknowledged delivery = new Acknowledged(targets, busContext.promise());
    for (int i = 0; i < targets.size(); i++) {
      LocalSubscription s = targets.get(i);
      s.offer(delivery.handoff(i, downgrade(message, s)));
    }
    long deadline = deadlines.add(delivery);
    return delivery.future().andThen(ar -> deadlines.remove(deadline));
  }

  private List<LocalSubscription> targets(NodeDelivery d, List<LocalSubscription> matches) {
    if (d.sharedFilters.isEmpty() && d.toAllSubscribers && allAccept(matches, d.message)) {
      return matches;
    }
    List<LocalSubscription> all = new ArrayList<>(matches.size());
    Map<String, List<LocalSubscription>> groups = d.sharedFilters.isEmpty() ? Map.of() : new HashMap<>();
    for (LocalSubscription s : matches) {
      if (!s.accepts(d.message)) {
        continue;
      }
      if (s.sharedFilter == null) {
        if (d.toAllSubscribers) {
          all.add(s);
        }
      } else if (d.sharedFilters.contains(s.sharedFilter) && d.mayGoTo(s)) {
        groups.computeIfAbsent(s.sharedFilter, k -> new ArrayList<>()).add(s);
      }
    }
    for (String shared : d.sharedFilters) {
      List<LocalSubscription> members = groups.get(shared);
      if (members == null) {
        meters.dropped(BusMeters.DropReason.NO_ROUTE);
        continue;
      }
      all.add(memberOnTurn(shared, members));
    }
    return all;
  }

  /** The member of {@code members} whose turn it is, among those not on stand-by if one is not. */
  private LocalSubscription memberOnTurn(String sharedFilter, List<LocalSubscription> members) {
    int active = 0;
    for (LocalSubscription m : members) {
      if (!m.standBy) {
        active++;
      }
    }
    int turn = sharedTurns.next(sharedFilter);
    if (active == 0) {
      return members.get(Math.floorMod(turn, members.size()));
    }
    int skip = Math.floorMod(turn, active);
    for (LocalSubscription m : members) {
      if (!m.standBy && skip-- == 0) {
        return m;
      }
    }
    throw new IllegalStateException("counted " + active + " members not on stand-by");
  }

  private static boolean allAccept(List<LocalSubscription> matches, FlowMessage message) {
    for (LocalSubscription s : matches) {
      if (s.sharedFilter != null || !s.accepts(message)) {
        return false;
      }
    }
    return true;
  }

  private static FlowMessage downgrade(FlowMessage m, LocalSubscription s) {
    QoS delivered = m.qos().min(s.options.getQos());
    return delivered == m.qos() ? m : m.toBuilder().qos(delivered).build();
  }
}
