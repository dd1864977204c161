package io.flowsdk.bus.impl;

import java.util.HashMap;
import java.util.Map;

/**
 * Rotating turn numbers per shared filter, so a group's messages go round its members. An entry
 * is forgotten when its group is gone, so the map holds only the groups that exist.
 */
final class SharedTurns {

  private final Map<String, Integer> turns = new HashMap<>();

  /** The next turn of {@code sharedFilter}'s group, counting from 1. */
  int next(String sharedFilter) {
    return turns.merge(sharedFilter, 1, Integer::sum);
  }

  void forget(String sharedFilter) {
    turns.remove(sharedFilter);
  }

  int size() {
    return turns.size();
  }
}
