package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.QoS;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The broker's {@code $SYS} topics with Mosquitto's names: this node's under
 * {@code $SYS/broker/nodes/<node>/} ({@code clients/connected}, {@code subscriptions/count},
 * {@code messages/received}, {@code messages/sent}, {@code bytes/received}, {@code bytes/sent},
 * {@code publish/messages/dropped}, {@code uptime} and {@code version}), and the cluster's totals of
 * the same but {@code version} under {@code $SYS/broker/} from one node ({@link SysTotals}). Published
 * retained every interval, each expiring after three intervals so a node that is gone leaves no
 * figures behind; a broker that closes clears its own. A filter starting with a wildcard never
 * matches them (MQTT-4.7.2-1).
 */
final class SysTopics {

  /** Topics starting with this are the broker's: no client may publish to them. */
  static final String PREFIX = "$SYS";
  private static final String CLUSTER = PREFIX + "/broker/";
  private static final String VERSION_NAME = "version";

  private static final Logger log = LoggerFactory.getLogger(SysTopics.class);

  /** Whether {@code topic} is the broker's own: refused to clients, and never refused at the retained cap. */
  static boolean isBrokers(String topic) {
    return topic.startsWith(PREFIX);
  }
  private static final String VERSION = "flowsdk-vertx " + version();

  private final Vertx vertx;
  private final String nodeId;
  private final Publisher publisher;
  private final RetainedStore retained;
  private final BrokerMeters meters;
  private final IntSupplier subscriptionCount;
  private final LongSupplier clock;
  private final String base;
  private final FlowOrigin origin;
  private final long startedAt;
  private long timer = -1;
  private long expirySeconds;

  SysTopics(Vertx vertx, String nodeId, Publisher publisher, RetainedStore retained, BrokerMeters meters,
            IntSupplier subscriptionCount, LongSupplier clock) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.publisher = publisher;
    this.retained = retained;
    this.meters = meters;
    this.subscriptionCount = subscriptionCount;
    this.clock = clock;
    this.base = SysTotals.NODES + nodeId + "/";
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

  /** Stops publishing and clears this node's own figures, so the cluster's totals stop counting them at once. */
  Future<Void> stop() {
    if (timer < 0) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(timer);
    timer = -1;
    List<Future<Integer>> clearing = new ArrayList<>();
    SysFigures.SUMMED.forEach(name -> clearing.add(publish(base + name, "")));
    clearing.add(publish(base + SysFigures.UPTIME, ""));
    clearing.add(publish(base + VERSION_NAME, ""));
    return Future.join(clearing).<Void>mapEmpty().otherwiseEmpty(); // a failure is logged, and closing goes on
  }

  private void publishAll() {
    SysFigures own = ownFigures();
    own.payloads().forEach((name, payload) -> publish(base + name, payload));
    publish(base + VERSION_NAME, VERSION);
    retained.matching(SysTotals.NODES + "#", clock.getAsLong())
      .map(nodeFigures -> SysTotals.of(nodeId, own, ClusterNodes.nodeIds(vertx, nodeId), nodeFigures))
      .onSuccess(totals -> totals.ifPresent(t -> t.payloads().forEach((name, payload) -> publish(CLUSTER + name, payload))))
      .onFailure(e -> log.debug("$SYS cluster totals not published: " + e.getMessage()));
  }

  private SysFigures ownFigures() {
    BrokerMeters.BrokerTotals totals = meters.totals();
    return SysFigures.of(List.of((long) meters.connectionCount(), (long) subscriptionCount.getAsInt(), totals.messagesReceived(),
      totals.messagesSent(), totals.bytesReceived(), totals.bytesSent(), totals.dropped()), (clock.getAsLong() - startedAt) / 1000);
  }

  /** Publishes {@code payload} retained on {@code topic}; an empty one clears it. */
  private Future<Integer> publish(String topic, String payload) {
    FlowMessage.Builder message = FlowMessage.builder(topic).payload(payload).qos(QoS.AT_MOST_ONCE).retain(true).origin(origin);
    if (!payload.isEmpty()) {
      message.messageExpiry(expirySeconds);
    }
    return publisher.publish(message.build())
      .onFailure(e -> log.debug("$SYS topic " + topic + " not published: " + e.getMessage()));
  }

  private static String version() {
    String v = SysTopics.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
