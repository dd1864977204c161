package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowResponder;
import io.flowsdk.bus.FlowService;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The flow bus of one Vert.x instance. Routing state (local index, cluster routes, dedup window)
 * lives on a context of the bus's own, so it is never touched concurrently; calls from other
 * contexts hop onto it. Messages between nodes travel on the event bus to each node's inbox.
 */
final class FlowBusImpl implements FlowBus {

  static final String INBOX_PREFIX = "flowsdk.node.";
  static final String SERVICE_PREFIX = "flowsdk.svc.";

  private final VertxInternal vertx;
  private final ContextInternal busContext;
  private final FlowBusOptions options;
  private final String nodeId;
  private final BusMeters meters;
  private final LocalIndex local;
  private final Set<String> ownFilters = new HashSet<>();
  private final Map<String, Integer> sharedTurns = new HashMap<>();
  private final Map<String, Future<Integer>> recentQos2;
  private final Set<LocalSubscription> subscriptions = new HashSet<>();
  private ClusterRoutes routes = ClusterRoutes.NONE;
  private MessageConsumer<NodeDelivery> inbox;
  private long nextDeliveryId;
  private boolean closed;

  FlowBusImpl(VertxInternal vertx, ContextInternal busContext, FlowBusOptions options, String nodeId, BusMeters meters) {
    this.vertx = vertx;
    this.busContext = busContext;
    this.options = new FlowBusOptions(options);
    this.nodeId = nodeId;
    this.meters = meters;
    this.local = new LocalIndex(busContext, meters);
    int window = options.getDedupWindow();
    this.recentQos2 = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Future<Integer>> eldest) {
        return size() > window;
      }
    };
  }

  /** Opens this node's inbox and, in a cluster, joins the route table. Runs on the bus context. */
  Future<FlowBus> start(Supplier<Future<ClusterRoutes>> joinRoutes) {
    inbox = vertx.eventBus().consumer(INBOX_PREFIX + nodeId, this::onInbox);
    return inbox.completion()
      .compose(v -> joinRoutes.get())
      .map(r -> {
        routes = r;
        return (FlowBus) this;
      });
  }

  Set<String> ownFilters() {
    return ownFilters;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<PublishResult> publish(FlowMessage message) {
    if (message.payload().length() > options.getMaxMessageBytes()) {
      return Future.failedFuture(new FlowException(FlowError.TOO_LARGE, "payload of " + message.payload().length()
        + " bytes exceeds the flow bus maximum of " + options.getMaxMessageBytes()));
    }
    return onBus(() -> route(message));
  }

  private Future<PublishResult> route(FlowMessage message) {
    if (closed) {
      return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus is closed"));
    }
    meters.published(message.qos());
    List<LocalSubscription> localMatches = local.match(message.topic());
    if (routes.size() == 0 && LocalIndex.noneShared(localMatches)) {
      return routeLocally(message, localMatches);
    }
    RoutePlan plan = new RoutePlan();
    LocalIndex.plan(localMatches, nodeId, plan);
    routes.plan(message.topic(), plan);
    Map<String, RoutePlan.Target> targets = plan.resolve(shared -> sharedTurns.merge(shared, 1, Integer::sum));
    long deliveryId = ++nextDeliveryId;
    boolean acknowledged = message.qos() != QoS.AT_MOST_ONCE;
    int nodes = targets.size();
    int localSubscribers = 0;
    List<Future<Integer>> deliveries = acknowledged ? new ArrayList<>(nodes) : null;
    for (Map.Entry<String, RoutePlan.Target> e : targets.entrySet()) {
      NodeDelivery d = new NodeDelivery(message, nodeId, deliveryId, e.getValue().toAll, e.getValue().shared);
      if (e.getKey().equals(nodeId)) {
        Future<Integer> delivered = local.deliver(d, localMatches);
        if (acknowledged) {
          deliveries.add(delivered);
        } else {
          localSubscribers = delivered.result();
        }
      } else if (acknowledged) {
        deliveries.add(sendAcknowledged(e.getKey(), d, 0));
      } else {
        vertx.eventBus().send(INBOX_PREFIX + e.getKey(), d);
      }
    }
    if (!acknowledged || deliveries.isEmpty()) {
      return Future.succeededFuture(new PublishResult(nodes, localSubscribers, acknowledged));
    }
    return Future.join(deliveries).transform(ar -> {
      int subscribers = 0;
      for (Future<Integer> f : deliveries) {
        if (f.failed()) {
          return publishFailed(f.cause());
        }
        subscribers += f.result();
      }
      return Future.succeededFuture(new PublishResult(nodes, subscribers, acknowledged));
    });
  }

  /**
   * The common case of a node with no remote routes and no shared group among the matches: no
   * plan to build, at most one delivery.
   */
  private Future<PublishResult> routeLocally(FlowMessage message, List<LocalSubscription> matches) {
    boolean acknowledged = message.qos() != QoS.AT_MOST_ONCE;
    if (matches.isEmpty()) {
      return Future.succeededFuture(new PublishResult(0, 0, acknowledged));
    }
    Future<Integer> delivered = local.deliver(new NodeDelivery(message, nodeId, ++nextDeliveryId, true, List.of()), matches);
    if (!acknowledged) {
      return Future.succeededFuture(new PublishResult(1, delivered.result(), false));
    }
    return delivered.transform(ar -> {
      if (ar.failed()) {
        return publishFailed(ar.cause());
      }
      return Future.succeededFuture(new PublishResult(1, ar.result(), true));
    });
  }

  /** A QoS 1/2 publish that failed delivery: counted by its error, and failed with it. */
  private Future<PublishResult> publishFailed(Throwable cause) {
    FlowException failure = FlowException.from(cause);
    meters.publishFailed(failure.error());
    return Future.failedFuture(failure);
  }

  /** Sends a QoS 1/2 delivery to another node, retrying with backoff while the node is still a member. */
  private Future<Integer> sendAcknowledged(String node, NodeDelivery d, int attempt) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(options.getAckTimeoutMillis());
    return vertx.eventBus().<Integer>request(INBOX_PREFIX + node, d, opts)
      .map(Message::body)
      .recover(failure -> {
        FlowException error = FlowException.from(failure);
        boolean transientFailure = error.error() == FlowError.TIMEOUT || error.error() == FlowError.NO_ROUTE;
        if (!transientFailure) {
          return Future.failedFuture(error);
        }
        if (!routes.knows(node)) {
          meters.dropped(BusMeters.DropReason.NO_ROUTE);
          return Future.failedFuture(new FlowException(FlowError.DISCONNECTED,
            "node " + node + " left the cluster before acknowledging the message on '" + d.message.topic() + "'", failure));
        }
        if (attempt >= options.getMaxRetries()) {
          return Future.failedFuture(new FlowException(error.error(), "node " + node + " did not acknowledge the message on '"
            + d.message.topic() + "' after " + (attempt + 1) + " attempts: " + error.getMessage(), failure));
        }
        Promise<Integer> retried = busContext.promise();
        long backoff = options.getRetryBackoffMillis() << Math.min(attempt, 20);
        vertx.setTimer(backoff, t -> sendAcknowledged(node, d, attempt + 1).onComplete(retried));
        return retried.future();
      });
  }

  private void onInbox(Message<NodeDelivery> msg) {
    NodeDelivery d = msg.body();
    if (d.message.qos() == QoS.AT_MOST_ONCE) {
      local.deliver(d);
      return;
    }
    Future<Integer> delivered;
    if (d.message.qos() == QoS.EXACTLY_ONCE) {
      String id = d.sourceNode + '/' + d.deliveryId;
      Future<Integer> earlier = recentQos2.get(id);
      if (earlier != null && !earlier.failed()) {
        meters.dropped(BusMeters.DropReason.DUPLICATE);
        delivered = earlier;
      } else {
        delivered = local.deliver(d);
        recentQos2.put(id, delivered);
      }
    } else {
      delivered = local.deliver(d);
    }
    delivered.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.reply(FlowException.from(ar.cause()).toReplyException());
      }
    });
  }

  @Override
  public Future<FlowSubscription> subscribe(SubscriptionOptions options, FlowHandler handler) {
    if (options.getFilter() == null) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "SubscriptionOptions needs a filter"));
    }
    SubscriptionOptions copy = new SubscriptionOptions(options);
    String filter = copy.getFilter();
    boolean shared = SharedFilter.isShared(filter);
    String matchFilter = shared ? SharedFilter.parse(filter).filter() : filter;
    ContextInternal subscriberContext = vertx.getOrCreateContext();
    LocalSubscription s = new LocalSubscription(copy, matchFilter, shared ? filter : null, subscriberContext, handler,
      meters, this::unsubscribe);
    return onBus(() -> {
      if (closed) {
        return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus is closed"));
      }
      subscriptions.add(s);
      if (!local.add(s)) {
        return Future.succeededFuture(s);
      }
      ownFilters.add(filter);
      return routes.announce(filter).map(s);
    });
  }

  private Future<Void> unsubscribe(LocalSubscription s) {
    return onBus(() -> {
      subscriptions.remove(s);
      if (!local.remove(s)) {
        return Future.succeededFuture();
      }
      ownFilters.remove(s.filter);
      return routes.withdraw(s.filter);
    });
  }

  @Override
  public Future<FlowMessage> request(String address, FlowMessage request, Duration timeout) {
    long start = System.nanoTime();
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(Math.max(1, timeout.toMillis()));
    return vertx.eventBus().<FlowMessage>request(SERVICE_PREFIX + address, request, opts)
      .transform(ar -> {
        meters.requestCompleted(start);
        if (ar.succeeded()) {
          return Future.succeededFuture(ar.result().body());
        }
        FlowException e = FlowException.from(ar.cause());
        if (e.error() == FlowError.NO_ROUTE) {
          e = new FlowException(FlowError.NO_ROUTE, "nobody serves address '" + address + "'", ar.cause());
        } else if (e.error() == FlowError.TIMEOUT) {
          e = new FlowException(FlowError.TIMEOUT, "no answer from '" + address + "' within " + timeout.toMillis() + " ms", ar.cause());
        }
        return Future.failedFuture(e);
      });
  }

  @Override
  public Future<FlowService> serve(String address, FlowResponder responder) {
    EventBus eb = vertx.eventBus();
    MessageConsumer<FlowMessage> consumer = eb.consumer(SERVICE_PREFIX + address, msg -> {
      Future<FlowMessage> answer;
      try {
        answer = responder.respond(msg.body());
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          FlowException e = FlowException.from(ar.cause());
          msg.fail(e.error().failureCode(), e.getMessage());
        }
      });
    });
    FlowService service = new FlowService() {
      @Override
      public String address() {
        return address;
      }

      @Override
      public Future<Void> close() {
        return consumer.unregister();
      }
    };
    return consumer.completion().map(service);
  }

  @Override
  public Future<Set<String>> routeOf(String topic) {
    Topics.validateName(topic);
    return onBus(() -> {
      RoutePlan plan = new RoutePlan();
      LocalIndex.plan(local.match(topic), nodeId, plan);
      routes.plan(topic, plan);
      return Future.succeededFuture(plan.nodes());
    });
  }

  @Override
  public Future<Void> close() {
    return onBus(() -> {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      List<Future<Void>> closing = new ArrayList<>();
      for (LocalSubscription s : new ArrayList<>(subscriptions)) {
        closing.add(s.close());
      }
      return Future.join(closing)
        .transform(v -> routes.close())
        .transform(v -> inbox.unregister());
    });
  }

  /**
   * Runs {@code action} on the bus context; the returned future completes on the caller's context,
   * so callers never see their callbacks on the bus's event loop.
   */
  private <T> Future<T> onBus(Supplier<Future<T>> action) {
    ContextInternal caller = ContextInternal.current();
    if (caller == busContext) {
      return action.get();
    }
    Promise<T> promise = caller != null ? caller.promise() : Promise.promise();
    busContext.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
