package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * A retained message as the stores hold it (its {@link MessageJson} form, the topic being the key),
 * and its size as {@code maxRetainedBytes} counts it: the topic's UTF-8 bytes plus the payload's.
 */
final class RetainedValue {

  private RetainedValue() {
  }

  static byte[] encode(FlowMessage message) {
    return MessageJson.toJson(message).toBuffer().getBytes();
  }

  static FlowMessage decode(String topic, byte[] value) {
    return MessageJson.fromJson(topic, json(value));
  }

  static long size(FlowMessage message) {
    return size(message.topic(), message.payload().length());
  }

  static long size(String topic, byte[] value) {
    return size(topic, json(value).getBinary("payload").length);
  }

  private static long size(String topic, int payloadBytes) {
    return topic.getBytes(StandardCharsets.UTF_8).length + (long) payloadBytes;
  }

  private static JsonObject json(byte[] value) {
    return new JsonObject(Buffer.buffer(value));
  }
}
