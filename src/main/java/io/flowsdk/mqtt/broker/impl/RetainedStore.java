package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retained messages, one per topic, in a Vert.x async map: Hazelcast's (cluster-wide, with its
 * backups) when Vert.x is clustered, a local one alone. A value is the message in JSON.
 *
 * <p>Matching a filter reads every entry ({@link AsyncMap#entries()}): fine for thousands of
 * retained messages, a known cost above that.
 */
final class RetainedStore {

  private final AsyncMap<String, JsonObject> map;

  private RetainedStore(AsyncMap<String, JsonObject> map) {
    this.map = map;
  }

  static Future<RetainedStore> open(Vertx vertx, String name) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(name).map(RetainedStore::new);
  }

  /**
   * Whether {@code message} may be retained under a cap of {@code maxMessages}: a clear, or a topic
   * that has a retained message already, always; a new topic only while the store holds fewer.
   */
  Future<Boolean> admits(FlowMessage message, int maxMessages) {
    if (message.payload().length() == 0) {
      return Future.succeededFuture(true);
    }
    return map.get(message.topic()).compose(existing -> existing != null ? Future.succeededFuture(true)
      : map.size().map(size -> size < maxMessages));
  }

  /** Retains {@code message} for its topic; an empty payload clears the topic's retained message. */
  Future<Void> retain(FlowMessage message) {
    if (message.payload().length() == 0) {
      return map.remove(message.topic()).mapEmpty();
    }
    return map.put(message.topic(), MessageJson.toJson(message));
  }

  /** Deletes the retained message of {@code topic}; completes with whether there was one. */
  Future<Boolean> remove(String topic) {
    return map.remove(topic).map(removed -> removed != null);
  }

  /** The retained messages whose topics match {@code filter}, not yet expired at {@code nowMillis}. */
  Future<List<FlowMessage>> matching(String filter, long nowMillis) {
    return map.entries().map(entries -> {
      List<FlowMessage> found = new ArrayList<>();
      for (Map.Entry<String, JsonObject> e : entries.entrySet()) {
        if (Topics.matches(filter, e.getKey())) {
          FlowMessage m = MessageJson.fromJson(e.getKey(), e.getValue());
          if (!m.isExpired(nowMillis)) {
            found.add(m);
          }
        }
      }
      return found;
    });
  }
}
