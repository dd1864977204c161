package io.flowsdk.topic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Topic filters and the values subscribed with them, matched against topic names. A match walks
 * the topic's levels once, branching only into {@code +} and {@code #} nodes, so its cost grows
 * with topic depth (and the wildcards actually present), not with the number of subscriptions.
 *
 * <p>One writer, any number of readers: {@link #add} and {@link #remove} must stay on one thread (or
 * event loop), while {@link #match} may run on any thread at the same time; a match running while a
 * filter is added or removed sees it or not. Values under one filter come in no particular order.
 * Filters must be valid and not shared (strip {@code $share/group/} first).
 *
 * @param <V> the subscriber value; equal values under one filter are stored once
 */
public final class SubscriptionTrie<V> {

  private final Node<V> root = new Node<>();
  private volatile int size;

  /** Adds {@code value} under {@code filter}; false when it was already there. */
  public boolean add(String filter, V value) {
    Node<V> node = root;
    for (String level : levels(filter)) {
      node = node.children.computeIfAbsent(level, l -> new Node<>());
    }
    if (node.values.add(value)) {
      size++;
      return true;
    }
    return false;
  }

  /** Removes {@code value} from {@code filter}; false when it was not there. Empty branches are pruned. */
  public boolean remove(String filter, V value) {
    String[] levels = levels(filter);
    List<Node<V>> path = new ArrayList<>(levels.length + 1);
    Node<V> node = root;
    path.add(node);
    for (String level : levels) {
      node = node.children.get(level);
      if (node == null) {
        return false;
      }
      path.add(node);
    }
    if (!node.values.remove(value)) {
      return false;
    }
    size--;
    for (int i = levels.length; i > 0; i--) {
      Node<V> n = path.get(i);
      if (!n.values.isEmpty() || !n.children.isEmpty()) {
        break;
      }
      path.get(i - 1).children.remove(levels[i - 1]);
    }
    return true;
  }

  /** Calls {@code sink} once per (filter, value) pair whose filter matches {@code topic}. */
  public void match(String topic, Consumer<? super V> sink) {
    match(root, topic, 0, topic.startsWith("$"), sink);
  }

  /** The values whose filters match {@code topic}, each once. */
  public Set<V> match(String topic) {
    Set<V> out = new LinkedHashSet<>();
    match(topic, out::add);
    return out;
  }

  /** Number of (filter, value) pairs held. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * Matches the level of {@code topic} starting at {@code start} and the levels after it; a
   * negative {@code start} means the topic has no levels left. Walks indices instead of splitting
   * the topic: matching is the hot path of every publish.
   */
  private static <V> void match(Node<V> node, String topic, int start, boolean dollarTopic, Consumer<? super V> sink) {
    Node<V> hash = node.children.get("#");
    if (start < 0) {
      node.values.forEach(sink);
      if (hash != null) {
        hash.values.forEach(sink);
      }
      return;
    }
    int slash = topic.indexOf('/', start);
    int end = slash < 0 ? topic.length() : slash;
    int next = slash < 0 ? -1 : slash + 1;
    if (!(start == 0 && dollarTopic)) {
      if (hash != null) {
        hash.values.forEach(sink);
      }
      Node<V> plus = node.children.get("+");
      if (plus != null) {
        match(plus, topic, next, dollarTopic, sink);
      }
    }
    Node<V> exact = node.children.get(topic.substring(start, end));
    if (exact != null) {
      match(exact, topic, next, dollarTopic, sink);
    }
  }

  private static String[] levels(String topic) {
    return topic.split("/", -1);
  }

  private static final class Node<V> {
    final Map<String, Node<V>> children = new ConcurrentHashMap<>(4);
    final Set<V> values = ConcurrentHashMap.newKeySet(2);
  }
}
