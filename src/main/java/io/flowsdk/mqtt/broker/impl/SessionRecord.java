package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the cluster knows of one session: the node and connection ({@code epoch}) serving it, how
 * many times it was claimed ({@code generation}, which orders its stored deliveries), its expiry
 * and its subscriptions. Stored as JSON text.
 */
final class SessionRecord {

  final String node;
  final String epoch;
  final long generation;
  final long expirySeconds;
  final List<SessionSubscription> subscriptions;

  SessionRecord(String node, String epoch, long generation, long expirySeconds, List<SessionSubscription> subscriptions) {
    this.node = node;
    this.epoch = epoch;
    this.generation = generation;
    this.expirySeconds = expirySeconds;
    this.subscriptions = subscriptions;
  }

  /**
   * The generation of the next claim of a client id whose record is {@code current} (or none): never
   * below an earlier generation of the client id, even after its record was removed, so that deleting
   * an old session's deliveries by generation cannot touch a new session's.
   */
  static long nextGeneration(SessionRecord current, long nowMillis) {
    return Math.max(current == null ? 1 : current.generation + 1, nowMillis);
  }

  String encode() {
    JsonArray subs = new JsonArray();
    subscriptions.forEach(s -> subs.add(s.toJson()));
    return new JsonObject().put("node", node).put("epoch", epoch).put("generation", generation)
      .put("expiry", expirySeconds).put("subscriptions", subs).encode();
  }

  static SessionRecord decode(String text) {
    JsonObject json = new JsonObject(text);
    List<SessionSubscription> subs = new ArrayList<>();
    json.getJsonArray("subscriptions").forEach(s -> subs.add(SessionSubscription.fromJson((JsonObject) s)));
    return new SessionRecord(json.getString("node"), json.getString("epoch"), json.getLong("generation"),
      json.getLong("expiry"), subs);
  }

  SessionRecord withSubscriptions(Collection<SessionSubscription> subs) {
    return new SessionRecord(node, epoch, generation, expirySeconds, new ArrayList<>(subs));
  }

  SessionRecord withExpiry(long seconds) {
    return new SessionRecord(node, epoch, generation, seconds, subscriptions);
  }
}
