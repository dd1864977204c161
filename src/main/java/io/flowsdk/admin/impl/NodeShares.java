package io.flowsdk.admin.impl;

import io.flowsdk.admin.Fanout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answers of several nodes about one thing made one, as {@link Fanout#COMBINED} says. */
final class NodeShares {

  private JsonObject first;
  private final Map<String, Long> sums = new LinkedHashMap<>();
  private final JsonArray nodes = new JsonArray();

  void add(String node, JsonObject answer) {
    JsonObject share = answer.getJsonObject(Fanout.PER_NODE, new JsonObject());
    if (first == null) {
      first = answer.copy();
      first.remove(Fanout.PER_NODE);
    }
    nodes.add(new JsonObject().put("node", node).mergeIn(share));
    share.forEach(field -> {
      if (field.getValue() instanceof Number n) {
        sums.merge(field.getKey(), n.longValue(), Long::sum);
      }
    });
  }

  JsonObject combined() {
    JsonObject combined = first.copy();
    sums.forEach(combined::put);
    return combined.put("nodes", nodes.copy());
  }
}
