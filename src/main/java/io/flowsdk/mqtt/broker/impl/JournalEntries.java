package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text form of a session journal's entries, the same in every {@link SessionStore}: a QoS 1/2
 * delivery (its message, QoS, flags, subscription ids, shared filter, and the packet id it went out
 * with, 0 while queued) or a client's QoS 2 packet id awaiting PUBREL.
 */
final class JournalEntries {

  /** The field of an entry that holds a client's QoS 2 packet id awaiting PUBREL rather than a delivery. */
  private static final String AWAITING_RELEASE = "awaitingRelease";

  private JournalEntries() {
  }

  static String delivery(Delivery d, int packetId, boolean released) {
    JsonObject json = new JsonObject()
      .put("topic", d.message.topic())
      .put("message", MessageJson.toJson(d.message))
      .put("qos", d.qos)
      .put("retain", d.retain)
      .put("ids", new JsonArray(new ArrayList<>(d.subscriptionIds)))
      .put("packetId", packetId)
      .put("released", released);
    if (d.sharedFilter != null) {
      json.put("shared", d.sharedFilter);
    }
    return json.encode();
  }

  static String awaitingRelease(int packetId) {
    return new JsonObject().put(AWAITING_RELEASE, packetId).encode();
  }

  /** What {@code entries} (key and text, in journal order) hold. */
  static SessionStore.Journaled read(List<Map.Entry<String, String>> entries) {
    List<StoredDelivery> stored = new ArrayList<>(entries.size());
    Map<Integer, String> awaitingRelease = new HashMap<>();
    for (Map.Entry<String, String> e : entries) {
      JsonObject value = new JsonObject(e.getValue());
      Integer inbound = value.getInteger(AWAITING_RELEASE);
      if (inbound != null) {
        awaitingRelease.put(inbound, e.getKey());
      } else {
        stored.add(decode(e.getKey(), value));
      }
    }
    return new SessionStore.Journaled(stored, awaitingRelease);
  }

  private static StoredDelivery decode(String key, JsonObject j) {
    List<Integer> ids = new ArrayList<>();
    j.getJsonArray("ids").forEach(id -> ids.add(((Number) id).intValue()));
    Delivery d = new Delivery(MessageJson.fromJson(j.getString("topic"), j.getJsonObject("message")), j.getInteger("qos"),
      j.getBoolean("retain"), ids);
    d.journalKey = key;
    d.sharedFilter = j.getString("shared");
    return new StoredDelivery(d, j.getInteger("packetId"), j.getBoolean("released"));
  }
}
