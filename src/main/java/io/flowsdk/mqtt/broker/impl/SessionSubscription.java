package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.topic.SharedFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** One MQTT subscription of a session, with its MQTT 5 options and the bus subscription that feeds it. */
final class SessionSubscription {

  final String filter;
  final int qos;
  final boolean noLocal;
  final boolean retainAsPublished;
  /** 0: send retained messages on every subscribe, 1: only on a new subscription, 2: never. */
  final int retainHandling;
  /** The Subscription Identifier, or an empty list. */
  final List<Integer> subscriptionIds;
  FlowSubscription bus;

  SessionSubscription(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                      List<Integer> subscriptionIds) {
    this.filter = filter;
    this.qos = qos;
    this.noLocal = noLocal;
    this.retainAsPublished = retainAsPublished;
    this.retainHandling = retainHandling;
    this.subscriptionIds = subscriptionIds;
  }

  boolean isShared() {
    return SharedFilter.isShared(filter);
  }

  /** Whether retained messages go out on this subscribe; never for shared subscriptions (MQTT 5, 4.8.2). */
  boolean sendsRetained(boolean isNew) {
    return !isShared() && (retainHandling == 0 || (retainHandling == 1 && isNew));
  }

  /** The form the session registry keeps, so that another node can subscribe the same way. */
  JsonObject toJson() {
    return new JsonObject().put("filter", filter).put("qos", qos).put("noLocal", noLocal)
      .put("retainAsPublished", retainAsPublished).put("retainHandling", retainHandling)
      .put("ids", new JsonArray(new ArrayList<>(subscriptionIds)));
  }

  static SessionSubscription fromJson(JsonObject json) {
    List<Integer> ids = new ArrayList<>();
    json.getJsonArray("ids").forEach(id -> ids.add(((Number) id).intValue()));
    return new SessionSubscription(json.getString("filter"), json.getInteger("qos"), json.getBoolean("noLocal"),
      json.getBoolean("retainAsPublished"), json.getInteger("retainHandling"), ids);
  }
}
