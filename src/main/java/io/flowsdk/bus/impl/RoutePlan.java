package io.flowsdk.bus.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which nodes get a published message: all matching non-shared subscribers, one node per shared
 * group; or, for a message handed on within one group, one node with members of that group. A group's
 * node is one with a member that is not on stand-by while there is one, else one with members on stand-by
 * ({@link io.flowsdk.bus.FlowSubscription#standBy}).
 */
final class RoutePlan {

  /** Per node: whether to deliver to all its subscribers, and which shared filters it serves this time. */
  static final class Target {
    boolean toAll;
    final List<String> shared = new ArrayList<>(0);
  }

  private final Map<String, Target> targets = new LinkedHashMap<>();
  /** Per shared filter, the nodes with a member not on stand-by. */
  private Map<String, Set<String>> sharedCandidates;
  /** Per shared filter, the nodes whose members are all on stand-by. */
  private Map<String, Set<String>> standByCandidates;
  /** The one shared filter a plan for {@link #forGroup} takes candidates of, else null. */
  private final String onlyGroup;

  /** A plan for a publish: every matching subscription. */
  RoutePlan() {
    this(null);
  }

  private RoutePlan(String onlyGroup) {
    this.onlyGroup = onlyGroup;
  }

  /** A plan that keeps only the nodes with members of {@code sharedFilter}, to pick one of them. */
  static RoutePlan forGroup(String sharedFilter) {
    return new RoutePlan(sharedFilter);
  }

  void toAll(String node) {
    if (onlyGroup == null) {
      targets.computeIfAbsent(node, n -> new Target()).toAll = true;
    }
  }

  /** {@code node} has members of {@code sharedFilter}, {@code active} if one of them is not on stand-by. */
  void sharedCandidate(String sharedFilter, String node, boolean active) {
    if (onlyGroup != null && !onlyGroup.equals(sharedFilter)) {
      return;
    }
    if (active) {
      sharedCandidates = add(sharedCandidates, sharedFilter, node);
    } else {
      standByCandidates = add(standByCandidates, sharedFilter, node);
    }
  }

  private static Map<String, Set<String>> add(Map<String, Set<String>> candidates, String sharedFilter, String node) {
    Map<String, Set<String>> map = candidates == null ? new HashMap<>() : candidates;
    map.computeIfAbsent(sharedFilter, f -> new LinkedHashSet<>()).add(node);
    return map;
  }

  /** Every node in the plan: targets so far and every candidate {@link #resolve} may pick for a shared filter. */
  Set<String> nodes() {
    Set<String> nodes = new LinkedHashSet<>(targets.keySet());
    eligible().values().forEach(nodes::addAll);
    return nodes;
  }

  /**
   * Picks one node for each shared filter, among those with a member not on stand-by if there are any;
   * {@code turn} gives a rotating number per filter.
   */
  Map<String, Target> resolve(ToIntFunction<String> turn) {
    eligible().forEach((filter, nodes) -> choose(filter, nodes, turn));
    return targets;
  }

  /** Per shared filter, the nodes to pick one of: those with a member not on stand-by, else those on stand-by. */
  private Map<String, Set<String>> eligible() {
    if (standByCandidates == null) {
      return sharedCandidates == null ? Map.of() : sharedCandidates;
    }
    Map<String, Set<String>> eligible = new HashMap<>(standByCandidates);
    if (sharedCandidates != null) {
      eligible.putAll(sharedCandidates);
    }
    return eligible;
  }

  private void choose(String sharedFilter, Set<String> candidates, ToIntFunction<String> turn) {
    List<String> nodes = new ArrayList<>(candidates);
    String chosen = nodes.get(Math.floorMod(turn.applyAsInt(sharedFilter), nodes.size()));
    targets.computeIfAbsent(chosen, n -> new Target()).shared.add(sharedFilter);
  }
}
