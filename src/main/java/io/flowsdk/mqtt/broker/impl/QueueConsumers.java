package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.topic.Topics;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection's subscriptions to {@code $queue/<name>}, one {@link QueueConsumer} each. They belong
 * to the connection, not to the session: they are not stored with it and end with the connection
 * (a client subscribes again when it reconnects).
 */
final class QueueConsumers {

  private final MiddlewareTopics topics;
  private final Map<String, QueueConsumer> consumers = new HashMap<>();

  QueueConsumers(MiddlewareTopics topics) {
    this.topics = topics;
  }

  /** 0x8F for a filter that names no queue this node serves (wildcards included), else null. */
  MqttSubAckReasonCode refusal(String filter) {
    return Topics.hasWildcard(filter) || topics.queue(filter).isEmpty() ? MqttSubAckReasonCode.TOPIC_FILTER_INVALID : null;
  }

  /**
   * Starts consuming for {@code sub} (a filter {@link #refusal} accepted), at most {@code window}
   * deliveries unacknowledged; a subscription again to the same queue replaces the earlier one.
   */
  void start(Session session, SessionSubscription sub, int window) {
    QueueConsumer consumer = new QueueConsumer(topics.vertx, topics.queue(sub.filter).orElseThrow(), session, sub, window);
    QueueConsumer earlier = consumers.put(sub.filter, consumer);
    if (earlier != null) {
      earlier.stop();
    }
    consumer.start();
  }

  /** Stops consuming {@code filter}; whether there was such a subscription. */
  boolean unsubscribe(String filter) {
    QueueConsumer consumer = consumers.remove(filter);
    if (consumer != null) {
      consumer.stop();
    }
    return consumer != null;
  }

  void close() {
    consumers.values().forEach(QueueConsumer::stop);
    consumers.clear();
  }
}
