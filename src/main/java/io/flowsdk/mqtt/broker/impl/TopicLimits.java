package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.broker.MqttBrokerOptions;

import java.nio.charset.StandardCharsets;

/** The configured bounds of topic names and filters: {@code maxTopicLength} UTF-8 bytes and {@code maxTopicLevels} levels. */
final class TopicLimits {

  private final int maxLength;
  private final int maxLevels;

  TopicLimits(MqttBrokerOptions options) {
    this.maxLength = options.getMaxTopicLength();
    this.maxLevels = options.getMaxTopicLevels();
  }

  /** Why {@code topic} (a name or a filter) is beyond the limits, or null when it is within them. */
  String problem(String topic) {
    if (topic.length() > maxLength || topic.length() * 3 > maxLength
      && topic.getBytes(StandardCharsets.UTF_8).length > maxLength) {
      return "topic '" + abbreviated(topic) + "' is longer than " + maxLength + " bytes";
    }
    int levels = 1;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == '/' && ++levels > maxLevels) {
        return "topic '" + abbreviated(topic) + "' has more than " + maxLevels + " levels";
      }
    }
    return null;
  }

  private static String abbreviated(String topic) {
    return topic.length() <= 64 ? topic : topic.substring(0, 64) + "...";
  }
}
