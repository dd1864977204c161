package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns a session's MQTT subscriptions into flow-bus subscriptions: the bus does the matching,
 * the downgrade to the subscription's QoS, No Local (by the session's origin) and shared groups
 * across the cluster; each message it hands over is queued in the session at once, so a slow
 * client never holds back the bus or the publisher (a persistent session in a cluster acknowledges
 * a QoS 1/2 message to the bus once its journal holds it). Retained messages come from the store, a
 * batch at a time. Under {@code queueBackpressure} a delivery the session holds stays in flight on
 * its bus subscription, so those subscriptions take as many in flight as the bus allows (one per
 * waiting publisher's PUBLISH) rather than overflowing their buffer at the default 64 + 1,024.
 */
final class Subscriptions {

  private final FlowBus bus;
  private final RetainedStore retained;
  private final LongSupplier clock;
  private final int busInflight;

  Subscriptions(FlowBus bus, RetainedStore retained, LongSupplier clock, boolean backpressure) {
    this.bus = bus;
    this.retained = retained;
    this.clock = clock;
    this.busInflight = backpressure ? SubscriptionOptions.MAX_INFLIGHT_LIMIT : SubscriptionOptions.DEFAULT_MAX_INFLIGHT;
  }

  /**
   * Adds {@code sub} to {@code session}, replacing a subscription with the same filter (the new bus
   * subscription opens before the old one closes). Completes with whether it is new.
   */
  Future<Boolean> subscribe(Session session, SessionSubscription sub) {
    SubscriptionOptions options = new SubscriptionOptions()
      .setFilter(sub.filter)
      .setQos(QoS.of(sub.qos))
      .setNoLocal(sub.noLocal)
      .setMaxInflight(busInflight)
      .setOwner(session.origin);
    String sharedFilter = sub.isShared() ? sub.filter : null;
    return bus.subscribe(options, message -> {
      Delivery delivery = new Delivery(message, message.qos().value(), sub.retainAsPublished && message.retain(), sub.subscriptionIds);
      delivery.sharedFilter = sharedFilter;
      return session.outbound.deliver(delivery);
    }).compose(busSubscription -> {
      sub.bus = busSubscription;
      if (session.ended) {
        return busSubscription.close().map(false);
      }
      SessionSubscription old = session.subscriptions.put(sub.filter, sub);
      return old == null ? Future.succeededFuture(true) : old.bus.close().map(false);
    });
  }

  /** Sends the session the retained messages {@code sub} matches, as Retain Handling says, paced by the client. */
  void sendRetained(Session session, SessionSubscription sub, boolean isNew) {
    if (sub.sendsRetained(isNew)) {
      session.outbound.feed(new RetainedFeed(retained, retained.topics(sub.filter), sub.qos, sub.subscriptionIds, clock));
    }
  }

  /** Removes the subscription on {@code filter}; completes with whether there was one. */
  Future<Boolean> unsubscribe(Session session, String filter) {
    SessionSubscription sub = session.subscriptions.remove(filter);
    return sub == null ? Future.succeededFuture(false) : sub.bus.close().map(true);
  }

  /** Closes every bus subscription of an ending session. */
  Future<Void> closeAll(Session session) {
    List<Future<Void>> closing = new ArrayList<>();
    session.subscriptions.values().forEach(s -> closing.add(s.bus.close()));
    session.subscriptions.clear();
    return Future.join(closing).mapEmpty();
  }
}
