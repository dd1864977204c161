package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A flow message as JSON (without its topic), as the broker stores retained messages and queued deliveries. */
final class MessageJson {

  private MessageJson() {
  }

  static JsonObject toJson(FlowMessage m) {
    JsonArray headers = new JsonArray();
    m.headers().forEach(h -> headers.add(new JsonArray().add(h.name()).add(h.value())));
    JsonObject json = new JsonObject()
      .put("payload", m.payload().getBytes())
      .put("qos", m.qos().value())
      .put("retain", m.retain())
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
      .retain(json.getBoolean("retain", true))
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
