package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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

  /** Retains {@code message} for its topic; an empty payload clears the topic's retained message. */
  Future<Void> retain(FlowMessage message) {
    if (message.payload().length() == 0) {
      return map.remove(message.topic()).mapEmpty();
    }
    return map.put(message.topic(), toJson(message));
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
          FlowMessage m = fromJson(e.getKey(), e.getValue());
          if (!m.isExpired(nowMillis)) {
            found.add(m);
          }
        }
      }
      return found;
    });
  }

  static JsonObject toJson(FlowMessage m) {
    JsonArray headers = new JsonArray();
    m.headers().forEach(h -> headers.add(new JsonArray().add(h.name()).add(h.value())));
    JsonObject json = new JsonObject()
      .put("payload", m.payload().getBytes())
      .put("qos", m.qos().value())
      .put("timestamp", m.timestamp())
      .put("priority", m.priority())
      .put("utf8", m.payloadFormat() == PayloadFormat.UTF8)
      .put("headers", headers)
      .put("origin", new JsonArray().add(m.origin().node()).add(m.origin().adapter()).add(m.origin().client()));
    m.messageExpiry().ifPresent(s -> json.put("expiry", s));
    if (m.contentType() != null) {
      json.put("contentType", m.contentType());
    }
    if (m.responseTopic() != null) {
      json.put("responseTopic", m.responseTopic());
    }
    if (m.correlationData() != null) {
      json.put("correlationData", m.correlationData().getBytes());
    }
    return json;
  }

  static FlowMessage fromJson(String topic, JsonObject json) {
    List<FlowHeader> headers = new ArrayList<>();
    for (Object h : json.getJsonArray("headers")) {
      headers.add(new FlowHeader(((JsonArray) h).getString(0), ((JsonArray) h).getString(1)));
    }
    JsonArray origin = json.getJsonArray("origin");
    FlowMessage.Builder b = FlowMessage.builder(topic)
      .payload(Buffer.buffer(json.getBinary("payload")))
      .qos(QoS.of(json.getInteger("qos")))
      .retain(true)
      .timestamp(json.getLong("timestamp"))
      .priority(json.getInteger("priority"))
      .payloadFormat(json.getBoolean("utf8") ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED)
      .headers(headers)
      .origin(new FlowOrigin(origin.getString(0), origin.getString(1), origin.getString(2)))
      .contentType(json.getString("contentType"))
      .responseTopic(json.getString("responseTopic"));
    if (json.containsKey("expiry")) {
      b.messageExpiry(json.getLong("expiry"));
    }
    if (json.containsKey("correlationData")) {
      b.correlationData(Buffer.buffer(json.getBinary("correlationData")));
    }
    return b.build();
  }
}
