package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.DisconnectReason;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic aliases the broker uses towards the client, bounded by the Topic Alias Maximum we sent.
 * Connection-scoped: reset on every connect.
 */
final class TopicAliasesIn {

  private final int maximum;
  private final Map<Integer, String> byAlias = new HashMap<>();

  TopicAliasesIn(int maximum) {
    this.maximum = maximum;
  }

  void reset() {
    byAlias.clear();
  }

  /**
   * The full topic of a PUBLISH with topic field {@code topic} and alias {@code alias} (null when
   * absent); throws {@link ProtocolViolation} for an alias out of range (0x94) or unknown (0x82).
   */
  String resolve(String topic, Integer alias) {
    if (alias == null) {
      if (topic.isEmpty()) {
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "PUBLISH with an empty topic and no topic alias");
      }
      return topic;
    }
    if (alias < 1 || alias > maximum) {
      throw new ProtocolViolation(DisconnectReason.TOPIC_ALIAS_INVALID,
        "topic alias " + alias + " is outside 1.." + maximum);
    }
    if (topic.isEmpty()) {
      String known = byAlias.get(alias);
      if (known == null) {
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "unknown topic alias " + alias);
      }
      return known;
    }
    byAlias.put(alias, topic);
    return topic;
  }
}
