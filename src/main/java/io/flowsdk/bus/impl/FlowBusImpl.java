package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.FlowResponder;
import io.flowsdk.bus.FlowRetainer;
import io.flowsdk.bus.FlowService;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.flowsdk.util.Backoff;
import io.flowsdk.util.Contexts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The flow bus of one Vert.x instance. Routing state (local index, cluster routes, dedup window)
 * lives on a context of the bus's own, so it is never changed concurrently; calls from other
 * contexts hop onto it (but for QoS 0 on a standalone node, which only reads the local index). Messages between nodes travel on the event bus to each node's inbox.
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
  private final SharedTurns sharedTurns = new SharedTurns();
  /** Recent QoS 1/2 deliveries from other nodes by source and delivery id, to answer a retry without delivering twice. */
  private final Map<String, Future<Integer>> recentDeliveries;
  private final Set<LocalSubscription> subscriptions = new HashSet<>();
  /** Retries waiting for their backoff timer, by timer id, failed if the bus closes first. */
  private final Map<Long, Promise<Integer>> pendingRetries = new HashMap<>();
  private final Backoff retryBackoff;
  private volatile ClusterRoutes routes = ClusterRoutes.NONE;
  private MessageConsumer<NodeDelivery> inbox;
  private long nextDeliveryId;
  private volatile boolean closed;
  /** QoS 0 publishes of a standalone node on their way through the bus context (see {@link #publishAtMostOnce}). */
  private final AtomicInteger atMostOnceViaBus = new AtomicInteger();
  /** Who keeps retained messages, the first one used (see {@link #retainWith}). */
  private final List<FlowRetainer> retainers = new CopyOnWriteArrayList<>();

  FlowBusImpl(VertxInternal vertx, ContextInternal busContext, FlowBusOptions options, String nodeId, BusMeters meters) {
    this.vertx = vertx;
    this.busContext = busContext;
    this.options = new FlowBusOptions(options);
    this.nodeId = nodeId;
    this.meters = meters;
    this.local = new LocalIndex(busContext, meters, options.getAckTimeoutMillis());
    this.retryBackoff = new Backoff(options.getRetryBackoffMillis(), options.getRetryBackoffMaxMillis(), options.getRetryJitter(),
      () -> ThreadLocalRandom.current().nextDouble());
    int window = options.getDedupWindow();
    this.recentDeliveries = new LinkedHashMap<>(16, 0.75f, false) {
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

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<PublishResult> publish(FlowMessage message) {
    if (message.payload().length() > options.getMaxMessageBytes()) {
      return tooLarge(message);
    }
    FlowRetainer retainer = message.retain() ? retainer() : null;
    return retainer == null ? dispatch(message) : publishRetained(message, retainer);
  }

  @Override
  public Future<PublishResult> publishToGroup(FlowMessage message, String sharedFilter, FlowOrigin except) {
    Objects.requireNonNull(except, "except");
    try {
      SharedFilter.parse(sharedFilter);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    if (message.payload().length() > options.getMaxMessageBytes()) {
      return tooLarge(message);
    }
    return onBus(() -> routeToGroup(message, sharedFilter, except));
  }

  private Future<PublishResult> tooLarge(FlowMessage message) {
    return Future.failedFuture(new FlowException(FlowError.TOO_LARGE, "payload of " + message.payload().length()
      + " bytes exceeds the flow bus maximum of " + options.getMaxMessageBytes()));
  }

  private Future<PublishResult> dispatch(FlowMessage message) {
    if (message.qos() == QoS.AT_MOST_ONCE && routes == ClusterRoutes.NONE) {
      return publishAtMostOnce(message);
    }
    return onBus(() -> route(message));
  }

  /**
   * A retained message: refused whole when the retainer does not admit it; otherwise stored and
   * routed at once (both in publish order), completing when both did, failed when storing failed.
   */
  private Future<PublishResult> publishRetained(FlowMessage message, FlowRetainer retainer) {
    return retainer.admit(message).compose(admitted -> {
      Future<Void> retained = retainer.retain(message);
      Future<PublishResult> routed = dispatch(message);
      return Future.join(retained, routed).transform(done -> retained.failed()
        ? Future.failedFuture(FlowException.from(retained.cause())) : routed);
    });
  }

  private FlowRetainer retainer() {
    for (FlowRetainer r : retainers) {
      return r;
    }
    return null;
  }

  @Override
  public Runnable retainWith(FlowRetainer retainer) {
    retainers.add(retainer);
    return () -> retainers.remove(retainer);
  }

  /**
   * QoS 0 on a standalone node goes from the publisher's thread straight to the subscribers'
   * contexts, without the hop onto the bus context and back (the local index may be matched from
   * any thread, and a QoS 0 delivery needs no bus state). Shared groups take their turns on the bus
   * context, so a message with a shared match goes that way; and while any QoS 0 publish is on that
   * way, the next ones follow it, so one publisher's messages reach each subscriber in order.
   */
  private Future<PublishResult> publishAtMostOnce(FlowMessage message) {
    if (closed) {
      return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus is closed"));
    }
    if (atMostOnceViaBus.get() == 0) {
      List<LocalSubscription> matches = local.match(message.topic());
      if (LocalIndex.noneShared(matches)) {
        meters.published(message.qos());
        int subscribers = matches.isEmpty() ? 0
          : local.deliver(new NodeDelivery(message, nodeId, 0, true, List.of()), matches).result();
        return Future.succeededFuture(new PublishResult(matches.isEmpty() ? 0 : 1, subscribers, false));
      }
    }
    atMostOnceViaBus.incrementAndGet();
    return onBus(() -> {
      try {
        return route(message);
      } finally {
        atMostOnceViaBus.decrementAndGet();
      }
    });
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
    return deliver(message, plan, localMatches, null);
  }

  /** One member of {@code sharedFilter}'s group, here (not one {@code except} owns) or on another node. */
  private Future<PublishResult> routeToGroup(FlowMessage message, String sharedFilter, FlowOrigin except) {
    if (closed) {
      return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus is closed"));
    }
    meters.published(message.qos());
    List<LocalSubscription> localMatches = local.match(message.topic());
    localMatches.removeIf(s -> s.ownedBy(except));
    RoutePlan plan = RoutePlan.forGroup(sharedFilter);
    LocalIndex.plan(localMatches, nodeId, plan);
    routes.plan(message.topic(), plan);
    return deliver(message, plan, localMatches, except);
  }

  /** Sends {@code message} as {@code plan} says; {@code exceptOwner} is passed over in shared groups (may be null). */
  private Future<PublishResult> deliver(FlowMessage message, RoutePlan plan, List<LocalSubscription> localMatches,
                                        FlowOrigin exceptOwner) {
    Map<String, RoutePlan.Target> targets = plan.resolve(sharedTurns::next);
    long deliveryId = ++nextDeliveryId;
    boolean acknowledged = message.qos() != QoS.AT_MOST_ONCE;
    int nodes = targets.size();
    int localSubscribers = 0;
    List<Future<Integer>> deliveries = acknowledged ? new ArrayList<>(nodes) : null;
    for (Map.Entry<String, RoutePlan.Target> e : targets.entrySet()) {
      NodeDelivery d = new NodeDelivery(message, nodeId, deliveryId, e.getValue().toAll, e.getValue().shared, exceptOwner);
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

  /**
   * Sends a QoS 1/2 delivery to another node. The other node answers within the ack timeout with its
   * subscribers' outcome; only a delivery or answer lost in transit (no answer within the ack timeout
   * plus the transit timeout, or no inbox) is sent again, with backoff, while the node is a member.
   * The other node answers a copy it has seen with the first copy's outcome.
   */
  private Future<Integer> sendAcknowledged(String node, NodeDelivery d, int attempt) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(options.getAckTimeoutMillis() + options.getTransitTimeoutMillis());
    return vertx.eventBus().<Integer>request(INBOX_PREFIX + node, d, opts)
      .map(Message::body)
      .recover(failure -> {
        if (!lostInTransit(failure)) {
          return Future.failedFuture(FlowException.from(failure));
        }
        if (!routes.knows(node)) {
          meters.dropped(BusMeters.DropReason.NO_ROUTE);
          return Future.failedFuture(new FlowException(FlowError.DISCONNECTED,
            "node " + node + " left the cluster before acknowledging the message on '" + d.message.topic() + "'", failure));
        }
        if (attempt >= options.getMaxRetries()) {
          FlowException error = FlowException.from(failure);
          return Future.failedFuture(new FlowException(error.error(), "node " + node + " did not acknowledge the message on '"
            + d.message.topic() + "' after " + (attempt + 1) + " attempts: " + error.getMessage(), failure));
        }
        if (closed) {
          return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus closed before the message on '"
            + d.message.topic() + "' could be sent to node " + node + " again"));
        }
        meters.retried();
        Promise<Integer> retried = busContext.promise();
        long timer = busContext.setTimer(retryBackoff.delay(attempt + 1), t -> {
          pendingRetries.remove(t);
          sendAcknowledged(node, d, attempt + 1).onComplete(retried);
        });
        pendingRetries.put(timer, retried);
        return retried.future();
      });
  }

  private static boolean lostInTransit(Throwable failure) {
    return failure instanceof ReplyException
      && (((ReplyException) failure).failureType() == ReplyFailure.TIMEOUT
      || ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS);
  }

  private void onInbox(Message<NodeDelivery> msg) {
    NodeDelivery d = msg.body();
    if (d.message.qos() == QoS.AT_MOST_ONCE) {
      local.deliver(d);
      return;
    }
    String id = d.sourceNode + '/' + d.deliveryId;
    Future<Integer> delivered = recentDeliveries.get(id);
    if (delivered != null && !delivered.failed()) {
      meters.dropped(BusMeters.DropReason.DUPLICATE);
    } else {
      delivered = local.deliver(d);
      recentDeliveries.put(id, delivered);
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
    String matchFilter = SharedFilter.matchFilter(filter);
    ContextInternal subscriberContext = vertx.getOrCreateContext();
    LocalSubscription s = new LocalSubscription(copy, matchFilter, shared ? filter : null, subscriberContext, handler,
      meters, this::unsubscribe, this::standBy);
    return onBus(() -> {
      if (closed) {
        return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the flow bus is closed"));
      }
      subscriptions.add(s);
      boolean wasActive = local.has(filter) && local.hasActive(filter);
      if (!local.add(s)) {
        return wasActive ? Future.succeededFuture(s) : routes.announce(filter, true).map(s);
      }
      ownFilters.add(filter);
      return routes.announce(filter, true).<FlowSubscription>map(s).recover(failure -> s.close().transform(rolledBack ->
        Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "subscribing to '" + filter
          + "' failed: the cluster did not take its route (" + failure.getMessage() + ")", failure))));
    });
  }

  private Future<Void> unsubscribe(LocalSubscription s) {
    return onBus(() -> {
      subscriptions.remove(s);
      boolean wasActive = local.hasActive(s.filter);
      if (!local.remove(s)) {
        return wasActive && local.has(s.filter) && !local.hasActive(s.filter)
          ? routes.announce(s.filter, false) : Future.succeededFuture();
      }
      ownFilters.remove(s.filter);
      if (s.sharedFilter != null) {
        sharedGroupGone(s.sharedFilter);
      }
      return routes.withdraw(s.filter);
    });
  }

  /** {@link FlowSubscription#standBy} of the shared subscription {@code s}: the route says so when this node's changed. */
  private Future<Void> standBy(LocalSubscription s, boolean standBy) {
    return onBus(() -> subscriptions.contains(s) && local.standBy(s, standBy)
      ? routes.announce(s.filter, local.hasActive(s.filter)) : Future.succeededFuture());
  }

  /** This node's routes, each with whether its subscribers take its messages (not a group's on stand-by only). */
  Map<String, Boolean> ownRoutes() {
    Map<String, Boolean> own = new HashMap<>();
    ownFilters.forEach(filter -> own.put(filter, local.hasActive(filter)));
    return own;
  }

  /** A shared filter lost its last member here or on another node: its turn is kept only while one is left. */
  void sharedGroupGone(String sharedFilter) {
    if (!local.has(sharedFilter) && !routes.hasShared(sharedFilter)) {
      sharedTurns.forget(sharedFilter);
    }
  }

  /** Shared groups whose node turn is remembered, for tests that check nothing is kept for closed groups. */
  int sharedTurnsHeld() {
    return sharedTurns.size() + local.sharedTurnsHeld();
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
        ReplyFailure busFailure = ar.cause() instanceof ReplyException ? ((ReplyException) ar.cause()).failureType() : null;
        if (busFailure == ReplyFailure.NO_HANDLERS) {
          return Future.failedFuture(new FlowException(FlowError.NO_ROUTE, "nobody serves address '" + address + "'", ar.cause()));
        }
        if (busFailure == ReplyFailure.TIMEOUT) {
          return Future.failedFuture(new FlowException(FlowError.TIMEOUT, "no answer from '" + address + "' within "
            + timeout.toMillis() + " ms", ar.cause()));
        }
        // the responder's own failure keeps its code and message (a responder's deadline names its own time)
        return Future.failedFuture(FlowException.from(ar.cause()));
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
  public Future<SortedSet<String>> routes() {
    return onBus(() -> Future.succeededFuture(new TreeSet<>(ownFilters)));
  }

  @Override
  public Future<Void> close() {
    return onBus(() -> {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      pendingRetries.forEach((timer, retry) -> {
        vertx.cancelTimer(timer);
        retry.tryFail(new FlowException(FlowError.CANCELLED, "the flow bus closed before a QoS 1/2 delivery could be sent again"));
      });
      pendingRetries.clear();
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
    return Contexts.call(busContext, action);
  }
}
