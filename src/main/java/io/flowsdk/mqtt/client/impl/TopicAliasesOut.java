package io.flowsdk.mqtt.client.impl;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Topic aliases the client uses towards the broker: at most {@code min(ours, broker's maximum)},
 * least recently used reassigned when all are taken. Connection-scoped: reset on every connect.
 */
final class TopicAliasesOut {

  /** What to put in a PUBLISH: the topic field (empty when the alias is known) and the alias (0 for none). */
  record Choice(String topic, int alias) {
  }

  private final int ourMaximum;
  private final LinkedHashMap<String, Integer> byTopic = new LinkedHashMap<>(16, 0.75f, true);
  private int capacity;

  TopicAliasesOut(int ourMaximum) {
    this.ourMaximum = ourMaximum;
  }

  /** Starts a connection whose broker allows {@code brokerMaximum} aliases. */
  void reset(int brokerMaximum) {
    byTopic.clear();
    capacity = Math.min(ourMaximum, brokerMaximum);
  }

  Choice choose(String topic) {
    if (capacity == 0) {
      return new Choice(topic, 0);
    }
    Integer alias = byTopic.get(topic);
    if (alias != null) {
      return new Choice("", alias);
    }
    int assigned;
    if (byTopic.size() < capacity) {
      assigned = byTopic.size() + 1;
    } else {
      Iterator<Map.Entry<String, Integer>> eldest = byTopic.entrySet().iterator();
      assigned = eldest.next().getValue();
      eldest.remove();
    }
    byTopic.put(topic, assigned);
    return new Choice(topic, assigned);
  }
}
