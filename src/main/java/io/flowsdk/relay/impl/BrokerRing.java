package io.flowsdk.relay.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A consistent-hash ring of nodes (the MQTT proxy's brokers), each at {@code virtualNodes} points, so that
 * a key (a client id) always maps to the same node and adding or removing one of N nodes moves only about
 * 1/N of the keys. Points and keys are placed by the first 8 bytes of their SHA-256, so every proxy
 * instance, on any node, with the same brokers maps a client id the same way. Immutable.
 *
 * @param <T> a node
 */
final class BrokerRing<T> {

  private final NavigableMap<Long, T> points = new TreeMap<>();
  private final int size;

  /** {@code key} names a node on the ring; two nodes must not have the same name. */
  BrokerRing(List<T> nodes, Function<T, String> key, int virtualNodes) {
    for (T node : nodes) {
      for (int i = 0; i < virtualNodes; i++) {
        points.putIfAbsent(hash(key.apply(node) + "#" + i), node);
      }
    }
    this.size = nodes.size();
  }

  /** Every node, the one {@code key} maps to first, then the others in the order met going round the ring from there. */
  List<T> order(String key) {
    long at = hash(key);
    Set<T> order = new LinkedHashSet<>();
    collect(points.tailMap(at, true).values(), order);
    collect(points.headMap(at, false).values(), order);
    return new ArrayList<>(order);
  }

  private void collect(Collection<T> nodes, Set<T> into) {
    for (T node : nodes) {
      if (into.size() == size) {
        return;
      }
      into.add(node);
    }
  }

  static long hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = h << 8 | (digest[i] & 0xFF);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
