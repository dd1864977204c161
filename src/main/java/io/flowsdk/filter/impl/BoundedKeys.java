package io.flowsdk.filter.impl;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-key state with at most {@code maxKeys} keys; past that the least recently used key is forgotten. */
final class BoundedKeys<V> extends LinkedHashMap<String, V> {

  private final int maxKeys;

  BoundedKeys(int maxKeys, boolean accessOrder) {
    super(16, 0.75f, accessOrder);
    this.maxKeys = maxKeys;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
    return size() > maxKeys;
  }
}
