package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;

/**
 * The MQTT face of the node's queues and tables ({@code docs/queue.md}, {@code docs/table.md}, "MQTT"):
 * a PUBLISH to {@code $queue/<name>} enqueues, a subscription to it consumes ({@link QueueConsumers});
 * a subscription to {@code $table/<name>/<key filter>} gets the current values as retained messages,
 * then every change (the table publishes them on the bus under the same topics), and a PUBLISH there
 * is refused, as only the table writes its changes.
 */
final class MiddlewareTopics {

  static final String QUEUE_PREFIX = "$queue/";
  static final String TABLE_PREFIX = "$table/";
  static final int TOPIC_NAME_INVALID = 0x90;
  static final int IMPLEMENTATION_SPECIFIC = 0x83;
  /** Current values sent for one wildcard subscription to a table, at most. */
  static final int MAX_CURRENT_VALUES = 1000;

  final Vertx vertx;
  private final NodeMiddleware node;

  MiddlewareTopics(Vertx vertx, NodeMiddleware node) {
    this.vertx = vertx;
    this.node = node;
  }

  static boolean isQueue(String topicOrFilter) {
    return topicOrFilter.startsWith(QUEUE_PREFIX);
  }

  static boolean isTable(String topicOrFilter) {
    return topicOrFilter.startsWith(TABLE_PREFIX);
  }

  /** The queue a {@code $queue/<name>} topic or filter names, or empty when this node serves none of that name. */
  Optional<FlowQueue> queue(String topicOrFilter) {
    return node.queue(topicOrFilter.substring(QUEUE_PREFIX.length()));
  }

  /** Why a client may not PUBLISH to {@code topic} (0x90: a table's topic, or a queue this node does not serve), or null. */
  RefusedPublish publishRefusal(String topic) {
    if (isTable(topic)) {
      return new RefusedPublish(TOPIC_NAME_INVALID, "'" + topic + "' is a table's watch topic: only the table publishes there"
        + " (write with gRPC or the SDK)");
    }
    return isQueue(topic) && queue(topic).isEmpty() ? noQueue(topic) : null;
  }

  private static RefusedPublish noQueue(String topic) {
    return new RefusedPublish(TOPIC_NAME_INVALID, "this node serves no queue '" + topic.substring(QUEUE_PREFIX.length()) + "'");
  }

  /**
   * Enqueues a PUBLISH to {@code $queue/<name>}: its payload, at the priority of its user property
   * {@code priority} (0..255, default 0), dropped unconsumed after its Message Expiry Interval. Completes
   * with reason 0x00 once the queue stored it; fails with a {@link RefusedPublish}: 0x90 for a queue
   * this node does not serve, 0x97 (quota exceeded) when it is full, 0x83 for a bad priority.
   */
  Future<Integer> enqueue(FlowMessage message) {
    String topic = message.topic();
    FlowQueue queue = queue(topic).orElse(null);
    if (queue == null) {
      return Future.failedFuture(noQueue(topic));
    }
    int priority;
    try {
      String p = message.header("priority");
      priority = p == null ? 0 : Integer.parseInt(p);
    } catch (NumberFormatException e) {
      priority = -1;
    }
    if (priority < 0 || priority > 255) {
      return Future.failedFuture(new RefusedPublish(IMPLEMENTATION_SPECIFIC, "user property 'priority' must be 0..255, not '"
        + message.header("priority") + "'"));
    }
    Duration ttl = Duration.ofSeconds(message.messageExpiry().orElse(0));
    return queue.enqueue(message.payload(), priority, Duration.ZERO, ttl)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(Publisher.SUCCESS) : Future.failedFuture(new RefusedPublish(ar.cause())));
  }

  /**
   * Sends {@code sub} the current entries of the table its {@code $table/<name>/<key filter>} names
   * that match it, as retained messages (headers {@code op} = {@code put} and {@code version}), at
   * most {@link #MAX_CURRENT_VALUES}; nothing for a table this node does not serve.
   */
  void sendCurrent(Session session, SessionSubscription sub) {
    String rest = sub.filter.substring(TABLE_PREFIX.length());
    int slash = rest.indexOf('/');
    FlowTable table = slash < 1 ? null : node.table(rest.substring(0, slash)).orElse(null);
    if (table == null) {
      return;
    }
    String keys = rest.substring(slash + 1);
    if (!Topics.hasWildcard(keys)) {
      table.get(keys).onSuccess(found -> found.ifPresent(e -> sendEntry(session, sub, table, e)));
      return;
    }
    int wildcard = Math.min(index(keys, '+'), index(keys, '#'));
    table.scan(keys.substring(0, wildcard), null, MAX_CURRENT_VALUES).onSuccess(page -> {
      for (TableEntry e : page) {
        if (Topics.matches(sub.filter, FlowTable.watchTopic(table.name(), e.key()))) {
          sendEntry(session, sub, table, e);
        }
      }
    });
  }

  private static int index(String s, char c) {
    int i = s.indexOf(c);
    return i < 0 ? s.length() : i;
  }

  private static void sendEntry(Session session, SessionSubscription sub, FlowTable table, TableEntry e) {
    FlowMessage m = FlowMessage.builder(FlowTable.watchTopic(table.name(), e.key()))
      .payload(e.value())
      .qos(QoS.of(sub.qos))
      .retain(true)
      .header("op", "put")
      .header("version", Long.toString(e.version()))
      .build();
    session.outbound.deliver(new Delivery(m, sub.qos, true, sub.subscriptionIds));
  }
}
