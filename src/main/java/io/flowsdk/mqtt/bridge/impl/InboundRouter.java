package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttMessageHandler;
import io.flowsdk.mqtt.client.Subscription;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Hands each message from the broker to the route of the subscription it arrived for. Each route is
 * subscribed with its own subscription identifier (its position + 1), so with MQTT 5 the broker says
 * which routes a message belongs to; without identifiers (MQTT 3.1.1, or a broker without them) the
 * route whose filter matches the topic takes it — there is only one, because the {@link Bridge}
 * refuses overlapping filters then. The handler's future is the acknowledgement to the broker.
 */
public final class InboundRouter implements MqttMessageHandler {

  /** One broker subscription and what to do with its messages. */
  public static final class Route {
    final Subscription subscription;
    final Function<InboundMessage, Future<Void>> handler;
    final String matchFilter;

    /**
     * @param subscription the subscription made at the broker
     * @param handler      takes a message; its future acknowledges it
     */
    public Route(Subscription subscription, Function<InboundMessage, Future<Void>> handler) {
      this.subscription = subscription;
      this.handler = handler;
      String filter = subscription.filter();
      this.matchFilter = SharedFilter.matchFilter(filter);
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final BridgeMeters meters;

  public InboundRouter(BridgeMeters meters) {
    this.meters = meters;
  }

  /** Adds a route; returns its subscription identifier. */
  public int add(Route route) {
    routes.add(route);
    return routes.size();
  }

  public List<Route> routes() {
    return routes;
  }

  @Override
  public Future<Void> handle(InboundMessage message) {
    List<Integer> ids = message.subscriptionIdentifiers();
    if (!ids.isEmpty()) {
      if (ids.size() == 1) {
        return handle(ids.get(0), message);
      }
      List<Future<Void>> all = new ArrayList<>(ids.size());
      for (int id : ids) {
        all.add(handle(id, message));
      }
      return Future.all(all).mapEmpty();
    }
    for (Route r : routes) {
      if (Topics.matches(r.matchFilter, message.topic())) {
        return r.handler.apply(message);
      }
    }
    meters.dropped(BridgeMeters.DropReason.UNROUTED);
    return Future.succeededFuture();
  }

  private Future<Void> handle(int id, InboundMessage message) {
    if (id < 1 || id > routes.size()) {
      meters.dropped(BridgeMeters.DropReason.UNROUTED);
      return Future.succeededFuture();
    }
    return routes.get(id - 1).handler.apply(message);
  }
}
