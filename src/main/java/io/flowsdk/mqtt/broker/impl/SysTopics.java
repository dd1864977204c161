package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.QoS;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * This node's {@code $SYS/broker/nodes/<node>/...} topics, with Mosquitto's names below the node:
 * {@code clients/connected}, {@code subscriptions/count}, {@code messages/received},
 * {@code messages/sent}, {@code bytes/received}, {@code bytes/sent}, {@code publish/messages/dropped},
 * {@code uptime} and {@code version}. Published retained every interval, each expiring after three
 * intervals so a node that is gone leaves no figures behind. A filter starting with a wildcard never
 * matches them (MQTT-4.7.2-1).
 */
final class SysTopics {

  /** Topics starting with this are the broker's: no client may publish to them. */
  static final String PREFIX = "$SYS";

  private static final Logger log = LoggerFactory.getLogger(SysTopics.class);

  /** Whether {@code topic} is the broker's own: refused to clients, and never refused at the retained cap. */
  static boolean isBrokers(String topic) {
    return topic.startsWith(PREFIX);
  }
  private static final String VERSION = "flowsdk-vertx " + version();

  private final Vertx vertx;
  private final Publisher publisher;
  private final BrokerMeters meters;
  private final IntSupplier subscriptionCount;
  private final LongSupplier clock;
  private final String base;
  private final FlowOrigin origin;
  private final long startedAt;
  private long timer = -1;
  private long expirySeconds;

  SysTopics(Vertx vertx, String nodeId, Publisher publisher, BrokerMeters meters, IntSupplier subscriptionCount,
            LongSupplier clock) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.meters = meters;
    this.subscriptionCount = subscriptionCount;
    this.clock = clock;
    this.base = PREFIX + "/broker/nodes/" + nodeId + "/";
    this.origin = new FlowOrigin(nodeId, BrokerMessages.ADAPTER, "$SYS");
    this.startedAt = clock.getAsLong();
  }

  /** Publishes now and then every {@code intervalSeconds}; nothing when it is 0. */
  void start(int intervalSeconds) {
    if (intervalSeconds == 0) {
      return;
    }
    expirySeconds = 3L * intervalSeconds;
    publishAll();
    timer = vertx.setPeriodic(intervalSeconds * 1000L, t -> publishAll());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void publishAll() {
    BrokerMeters.BrokerTotals totals = meters.totals();
    publish("clients/connected", meters.connectionCount());
    publish("subscriptions/count", subscriptionCount.getAsInt());
    publish("messages/received", totals.messagesReceived());
    publish("messages/sent", totals.messagesSent());
    publish("bytes/received", totals.bytesReceived());
    publish("bytes/sent", totals.bytesSent());
    publish("publish/messages/dropped", totals.dropped());
    publish("uptime", (clock.getAsLong() - startedAt) / 1000 + " seconds");
    publish("version", VERSION);
  }

  private void publish(String name, Object value) {
    FlowMessage message = FlowMessage.builder(base + name).payload(String.valueOf(value)).qos(QoS.AT_MOST_ONCE)
      .retain(true).messageExpiry(expirySeconds).origin(origin).build();
    publisher.publish(message).onFailure(e -> log.debug("$SYS topic " + name + " not published: " + e.getMessage()));
  }

  private static String version() {
    String v = SysTopics.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
