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
 * group; or, for a message handed on within one group, one node with members of that group.
 */
final class RoutePlan {

  /** Per node: whether to deliver to all its subscribers, and which shared filters it serves this time. */
  static final class Target {
    boolean toAll;
    final List<String> shared = new ArrayList<>(0);
  }

  private final Map<String, Target> targets = new LinkedHashMap<>();
  private Map<String, Set<String>> sharedCandidates;
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

  void sharedCandidate(String sharedFilter, String node) {
    if (onlyGroup != null && !onlyGroup.equals(sharedFilter)) {
      return;
    }
    if (sharedCandidates == null) {
      sharedCandidates = new HashMap<>();
    }
    sharedCandidates.computeIfAbsent(sharedFilter, f -> new LinkedHashSet<>()).add(node);
  }

  /** Every node in the plan: targets so far and all candidates of shared filters. */
  Set<String> nodes() {
    Set<String> nodes = new LinkedHashSet<>(targets.keySet());
    if (sharedCandidates != null) {
      sharedCandidates.values().forEach(nodes::addAll);
    }
    return nodes;
  }

  /** Picks one node for each shared filter; {@code turn} gives a rotating number per filter. */
  Map<String, Target> resolve(ToIntFunction<String> turn) {
    if (sharedCandidates != null) {
      for (Map.Entry<String, Set<String>> e : sharedCandidates.entrySet()) {
        List<String> nodes = new ArrayList<>(e.getValue());
        String chosen = nodes.get(Math.floorMod(turn.applyAsInt(e.getKey()), nodes.size()));
        targets.computeIfAbsent(chosen, n -> new Target()).shared.add(e.getKey());
      }
    }
    return targets;
  }
}
