package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.PastDelivery;
import io.flowsdk.queue.QueueItem;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.time.Duration;

/**
 * One connection's subscription to {@code $queue/<name>}: receives items and delivers them through
 * the session while fewer than {@code window} are unacknowledged (the client's Receive Maximum, at
 * most the broker's in-flight limit). At QoS 1 the client's PUBACK acknowledges the item; a delivery
 * that ends without one (the connection went, the session's queue was full) is given back at once, and one
 * the client cannot take (above its Maximum Packet Size, denied by the ACL) is left to its visibility
 * timeout, so a consumer does not loop on an item it refuses (a dead letter's, which no attempt limit
 * stops). At QoS 0
 * an item is acknowledged as it is handed to the session: at most once. Lives on the broker's context.
 */
final class QueueConsumer {

  private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);
  /** How long an idle consumer (empty queue, or a QoS 0 one whose session queue is not empty) waits before it asks again. */
  static final long IDLE_POLL_MILLIS = 50;

  private final Vertx vertx;
  private final FlowQueue queue;
  private final Session session;
  private final SessionSubscription sub;
  private final int window;
  private int unacknowledged;
  private boolean receiving;
  private boolean stopped = true;
  private long timer = -1;
  /** Ends this consumer's count in {@link FlowQueue#addConsumer}; null while stopped. */
  private Runnable leave;

  QueueConsumer(Vertx vertx, FlowQueue queue, Session session, SessionSubscription sub, int window) {
    this.vertx = vertx;
    this.queue = queue;
    this.session = session;
    this.sub = sub;
    this.window = window;
  }

  void start() {
    stopped = false;
    leave = queue.addConsumer();
    pump();
  }

  /** Receives no more; deliveries in flight still end by PUBACK or by the connection's end. */
  void stop() {
    stopped = true;
    if (leave != null) {
      leave.run();
      leave = null;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void pump() {
    if (stopped || receiving || timer >= 0 || unacknowledged >= window) {
      return;
    }
    if (sub.qos == 0 && session.outbound.queuedCount() > 0) {
      later();
      return;
    }
    receiving = true;
    queue.receive().onComplete(ar -> {
      receiving = false;
      if (ar.failed()) {
        log.warn("queue " + queue.name() + ": receive for " + session.clientId + " failed: " + ar.cause().getMessage());
        later();
      } else if (ar.result().isEmpty()) {
        later();
      } else if (stopped) {
        queue.nack(ar.result().get().receipt(), Duration.ZERO);
      } else {
        deliver(ar.result().get());
        pump();
      }
    });
  }

  private void later() {
    if (!stopped) {
      timer = vertx.setTimer(IDLE_POLL_MILLIS, t -> {
        timer = -1;
        pump();
      });
    }
  }

  private void deliver(QueueItem item) {
    FlowMessage.Builder builder = FlowMessage.builder(sub.filter)
      .payload(item.payload())
      .qos(QoS.of(sub.qos))
      .header("id", item.id())
      .header("attempt", Integer.toString(item.attempt()));
    if (!item.deliveries().isEmpty()) {
      builder.header("deliveries", PastDelivery.toJson(item.deliveries()).encode());
    }
    FlowMessage message = builder.build();
    Delivery delivery = new Delivery(message, sub.qos, false, sub.subscriptionIds);
    String receipt = item.receipt();
    if (sub.qos == 0) {
      session.outbound.deliver(delivery);
      queue.ack(receipt);
      return;
    }
    unacknowledged++;
    delivery.settlement = ending -> {
      unacknowledged--;
      if (ending == Delivery.Ending.ACKNOWLEDGED) {
        queue.ack(receipt);
      } else if (ending == Delivery.Ending.GIVEN_BACK) {
        queue.nack(receipt, Duration.ZERO);
      } // REFUSED: this client would refuse it again at once, so its visibility timeout gives it to the others
      pump();
    };
    session.outbound.deliver(delivery);
  }
}
