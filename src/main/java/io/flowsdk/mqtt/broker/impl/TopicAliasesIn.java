package io.flowsdk.mqtt.broker.impl;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic aliases one MQTT 5 connection set (vertx-mqtt 5.0.7 passes them through unresolved): an
 * alias with a topic sets it, an alias with an empty topic uses it. They die with the connection.
 */
final class TopicAliasesIn {

  private final int maximum;
  private final Map<Integer, String> topics = new HashMap<>();

  TopicAliasesIn(int maximum) {
    this.maximum = maximum;
  }

  /**
   * The topic name of a PUBLISH with {@code topic} and Topic Alias {@code alias} (null when absent).
   * Throws {@link ProtocolViolation} with 0x94 for an alias out of range and 0x82 for an unknown one.
   */
  String resolve(String topic, Integer alias) {
    boolean hasTopic = topic != null && !topic.isEmpty();
    if (alias == null) {
      if (!hasTopic) {
        throw new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "PUBLISH without a topic name or topic alias");
      }
      return topic;
    }
    if (alias < 1 || alias > maximum) {
      throw new ProtocolViolation(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID,
        "topic alias " + alias + " is outside 1.." + maximum + ", the Topic Alias Maximum we announced");
    }
    if (hasTopic) {
      topics.put(alias, topic);
      return topic;
    }
    String known = topics.get(alias);
    if (known == null) {
      throw new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set on this connection");
    }
    return known;
  }
}
