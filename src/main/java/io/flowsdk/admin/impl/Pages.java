package io.flowsdk.admin.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sorting and cutting the lists of paged admin routes, on each node and when merging them. */
final class Pages {

  private Pages() {
  }

  /** {@code {"total": n, "items": [...]}}: the first {@code max} of {@code items} sorted by {@code keys}. */
  static JsonObject firstOf(JsonArray items, List<String> keys, int max) {
    List<JsonObject> sorted = sorted(items, keys);
    return new JsonObject().put("total", sorted.size()).put("items", new JsonArray(new ArrayList<>(sorted.subList(0,
      Math.min(max, sorted.size())))));
  }

  static List<JsonObject> sorted(JsonArray items, List<String> keys) {
    List<JsonObject> list = new ArrayList<>();
    items.forEach(item -> list.add((JsonObject) item));
    list.sort(order(keys));
    return list;
  }

  /** Items in order of {@code keys} (each compared as text), then of their node. */
  static Comparator<JsonObject> order(List<String> keys) {
    Comparator<JsonObject> order = (a, b) -> 0;
    for (String key : keys) {
      order = order.thenComparing(item -> String.valueOf(item.getValue(key)));
    }
    return order.thenComparing(item -> String.valueOf(item.getValue("node")));
  }
}
