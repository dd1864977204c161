package io.flowsdk.mqtt.broker.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics that have a retained message, in a tree of their levels, each with its size: a filter
 * is matched by walking only the branches it can match (every child at a {@code +}, the whole subtree
 * at a {@code #}), so its cost follows its matches, not the number of retained messages. A wildcard
 * in the first level never matches a topic starting with {@code $} (MQTT-4.7.2-1). Holds the count and
 * bytes the caps are checked against.
 *
 * <p>One writer, the broker's event loop; {@link #match}, {@link #sizeOf}, {@link #count} and
 * {@link #bytes} may run on any thread at the same time and see a change or not.
 */
final class RetainedIndex {

  private final Node root = new Node();
  private volatile int count;
  private volatile long bytes;

  /** The size of {@code topic}'s retained message, or -1 when it has none. */
  long sizeOf(String topic) {
    Node node = root;
    for (String level : levels(topic)) {
      node = node.children.get(level);
      if (node == null) {
        return -1;
      }
    }
    return node.topic == null ? -1 : node.size;
  }

  /** {@code topic} has a retained message of {@code size} bytes (a new one, or one replacing the last). */
  void put(String topic, long size) {
    Node node = root;
    for (String level : levels(topic)) {
      node = node.children.computeIfAbsent(level, l -> new Node());
    }
    if (node.topic == null) {
      count++;
      bytes += size;
    } else {
      bytes += size - node.size;
    }
    node.size = size;
    node.topic = topic;
  }

  /** As {@link #put}, unless {@code topic} is known already (what a store read at start brings may be older). */
  void putIfAbsent(String topic, long size) {
    if (sizeOf(topic) < 0) {
      put(topic, size);
    }
  }

  /** {@code topic} has no retained message any more; branches left empty are pruned. */
  void remove(String topic) {
    String[] levels = levels(topic);
    List<Node> path = new ArrayList<>(levels.length + 1);
    Node node = root;
    path.add(node);
    for (String level : levels) {
      node = node.children.get(level);
      if (node == null) {
        return;
      }
      path.add(node);
    }
    if (node.topic == null) {
      return;
    }
    count--;
    bytes -= node.size;
    node.topic = null;
    for (int i = levels.length; i > 0 && path.get(i).topic == null && path.get(i).children.isEmpty(); i--) {
      path.get(i - 1).children.remove(levels[i - 1]);
    }
  }

  int count() {
    return count;
  }

  long bytes() {
    return bytes;
  }

  /** The topics with a retained message that {@code filter} (valid, not shared) matches. */
  List<String> match(String filter) {
    List<String> found = new ArrayList<>();
    match(root, levels(filter), 0, found);
    return found;
  }

  private static void match(Node node, String[] filter, int at, List<String> found) {
    if (at == filter.length) {
      if (node.topic != null) {
        found.add(node.topic);
      }
      return;
    }
    String level = filter[at];
    if (level.equals("#")) {
      if (node.topic != null) { // "a/#" matches "a" too (MQTT-4.7.1-2); the root has no topic
        found.add(node.topic);
      }
      subtree(node, at == 0, found);
    } else if (level.equals("+")) {
      for (Map.Entry<String, Node> child : node.children.entrySet()) {
        if (at > 0 || !child.getKey().startsWith("$")) {
          match(child.getValue(), filter, at + 1, found);
        }
      }
    } else {
      Node child = node.children.get(level);
      if (child != null) {
        match(child, filter, at + 1, found);
      }
    }
  }

  private static void subtree(Node node, boolean atRoot, List<String> found) {
    for (Map.Entry<String, Node> child : node.children.entrySet()) {
      if (atRoot && child.getKey().startsWith("$")) {
        continue;
      }
      Node n = child.getValue();
      if (n.topic != null) {
        found.add(n.topic);
      }
      subtree(n, false, found);
    }
  }

  private static String[] levels(String topic) {
    return topic.split("/", -1);
  }

  private static final class Node {
    final Map<String, Node> children = new ConcurrentHashMap<>(4);
    /** The full topic while it has a retained message, else null. */
    volatile String topic;
    volatile long size;
  }
}
