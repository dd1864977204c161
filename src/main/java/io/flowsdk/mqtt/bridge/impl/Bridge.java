package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.busrelay.VisitedClusters;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.FlowService;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.bridge.InboundFailurePolicy;
import io.flowsdk.mqtt.bridge.MqttBridgeOptions;
import io.flowsdk.mqtt.bridge.RequestMapping;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.mqtt.bridge.impl.BridgeMeters.Direction;
import io.flowsdk.mqtt.client.ConnectReason;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.RetainHandling;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.Subscription;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.TopicRewrite;
import io.flowsdk.util.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One running bridge: its broker subscriptions (one per inbound mapping, inbound request mapping
 * and the reply topic), its flow bus subscriptions (one per outbound mapping) and services (one per
 * outbound request mapping). Everything runs on the context that created it, the client's context.
 */
public final class Bridge {

  /** The adapter name in the origin of messages the bridge puts on the bus. */
  public static final String ADAPTER = "mqtt-client";

  private static final Logger log = LoggerFactory.getLogger(Bridge.class);

  private final FlowBus bus;
  private final MqttClient client;
  private final MqttBridgeOptions options;
  private final FlowOrigin origin;
  private final BridgeMeters meters;
  private final InboundRouter router;
  private final BusPublishRetry busPublish;
  private final MessageForwarding forwarding;
  private final OutboundRequests outboundRequests;
  private final InboundRequests inboundRequests;
  private final List<FlowSubscription> busSubscriptions = new ArrayList<>();
  private final List<FlowService> services = new ArrayList<>();
  private boolean subscribed;
  private boolean useIdentifiers;

  /** Checks the options as a whole (see {@link #validate}) and prepares the routes; nothing is opened yet. */
  public Bridge(Vertx vertx, FlowBus bus, MqttClient client, MqttBridgeOptions options) {
    validate(options);
    this.bus = bus;
    this.client = client;
    this.options = options;
    this.origin = new FlowOrigin(bus.nodeId(), ADAPTER, options.getName());
    this.meters = new BridgeMeters(FlowMetrics.registry(vertx), options.getName());
    this.router = new InboundRouter(meters);
    this.busPublish = new BusPublishRetry(vertx, bus, options.getInboundRetryMaxAttempts(),
      new Backoff(options.getInboundRetryInitialDelayMillis(), options.getInboundRetryMaxDelayMillis(), 0.5,
        () -> ThreadLocalRandom.current().nextDouble()), meters);
    this.forwarding = new MessageForwarding(busPublish, options.getInboundFailurePolicy(), client, origin,
      VisitedClusters.localCluster(vertx, bus, options.getCluster()), meters);
    this.outboundRequests = new OutboundRequests(vertx, client, options.getResponseTopicPrefix() + "/" + UUID.randomUUID(),
      options.getRequestTimeoutMillis(), options.getMaxPendingRequests(), origin, meters);
    this.inboundRequests = new InboundRequests(bus, client, options.getRequestTimeoutMillis(), options.getMaxPendingRequests(),
      origin, meters);
    boolean v5 = options.getClient().getVersion() == MqttVersion.V5;
    if (!options.getOutboundRequests().isEmpty()) {
      router.add(new InboundRouter.Route(new Subscription(outboundRequests.replyTopic(), QoS.EXACTLY_ONCE, false, false,
        RetainHandling.DO_NOT_SEND), outboundRequests::reply));
    }
    for (RequestMapping m : options.getInboundRequests()) {
      router.add(new InboundRouter.Route(new Subscription(m.getBroker(), m.getQos(), noLocal(v5, m.getBroker()), false,
        RetainHandling.DO_NOT_SEND), message -> inboundRequests.handle(m.getBusAddress(), message)));
    }
    for (TopicMapping m : options.getInbound()) {
      TopicRewrite rewrite = TopicRewrite.of(m.getBroker(), m.getBus(), "inbound mapping " + m);
      router.add(new InboundRouter.Route(new Subscription(m.getBroker(), m.getQos(), noLocal(v5, m.getBroker()), true,
        RetainHandling.SEND_ON_SUBSCRIBE), message -> forwarding.toBus(rewrite, message)));
    }
    meters.pendingRequests(Direction.OUTBOUND, outboundRequests::pending);
    meters.pendingRequests(Direction.INBOUND, inboundRequests::pending);
  }

  /**
   * Fails with {@link FlowError#INVALID} for options the bridge cannot honour: request/response
   * mappings and {@link InboundFailurePolicy#REJECT} on MQTT 3.1.1 (it has no Response Topic and no
   * negative acknowledgement); two inbound filters (mappings and request mappings) that are the same
   * (the second subscription would replace the first at the broker) or, on MQTT 3.1.1, that overlap
   * (see {@link #requireDisjoint}); and an inbound filter that would receive the bridge's own outbound
   * publishes where MQTT's No Local cannot be used (MQTT 3.1.1, shared subscriptions) — the messages
   * would loop back onto the bus.
   */
  public static void validate(MqttBridgeOptions options) {
    boolean v5 = options.getClient().getVersion() == MqttVersion.V5;
    if (!v5 && !(options.getInboundRequests().isEmpty() && options.getOutboundRequests().isEmpty())) {
      throw new FlowException(FlowError.INVALID, "request/response mappings need MQTT 5 (Response Topic and Correlation "
        + "Data); the bridge's client is configured for " + options.getClient().getVersion());
    }
    if (!v5 && options.getInboundFailurePolicy() == InboundFailurePolicy.REJECT) {
      throw new FlowException(FlowError.INVALID, "inboundFailurePolicy REJECT needs MQTT 5 (MQTT 3.1.1 has no negative "
        + "acknowledgement); use REDELIVER with a persistent session");
    }
    List<String> inboundFilters = new ArrayList<>();
    options.getInbound().forEach(m -> inboundFilters.add(m.getBroker()));
    options.getInboundRequests().forEach(m -> inboundFilters.add(m.getBroker()));
    for (int i = 0; i < inboundFilters.size(); i++) {
      if (inboundFilters.indexOf(inboundFilters.get(i)) != i) {
        throw new FlowException(FlowError.INVALID, "the inbound filter '" + inboundFilters.get(i) + "' is mapped twice: "
          + "the broker keeps one subscription per filter, so one mapping would get nothing; use one mapping per filter");
      }
    }
    if (!v5) {
      requireDisjoint(inboundFilters, "MQTT 3.1.1 has no subscription identifiers");
    }
    List<String> outboundTopics = new ArrayList<>();
    options.getOutbound().forEach(m -> outboundTopics.add(m.getBroker()));
    options.getOutboundRequests().forEach(m -> outboundTopics.add(m.getBroker()));
    for (String in : inboundFilters) {
      if (noLocal(v5, in)) {
        continue;
      }
      String match = SharedFilter.matchFilter(in);
      for (String out : outboundTopics) {
        if (FilterOverlap.overlap(match, out)) {
          throw new FlowException(FlowError.INVALID, "inbound filter '" + in + "' overlaps the outbound broker topics '" + out
            + "': without MQTT 5 No Local (" + (v5 ? "a shared subscription" : "MQTT 3.1.1")
            + ") the bridge would receive its own publishes back; make them disjoint");
        }
      }
    }
  }

  /**
   * Without subscription identifiers a message from the broker does not say which subscription it is
   * for, and a broker may send one copy per matching subscription or a single one: with overlapping
   * inbound filters one mapping would get duplicates and another nothing. So they must be disjoint.
   */
  private static void requireDisjoint(List<String> inboundFilters, String why) {
    for (int i = 0; i < inboundFilters.size(); i++) {
      for (int j = i + 1; j < inboundFilters.size(); j++) {
        String a = inboundFilters.get(i);
        String b = inboundFilters.get(j);
        if (FilterOverlap.overlap(SharedFilter.matchFilter(a), SharedFilter.matchFilter(b))) {
          throw new FlowException(FlowError.INVALID, "the inbound filters '" + a + "' and '" + b + "' overlap and " + why
            + ", so the bridge cannot tell which mapping a message is for; make them disjoint");
        }
      }
    }
  }

  private static boolean noLocal(boolean v5, String filter) {
    // No Local on a shared subscription is a protocol error (MQTT 5 §3.8.3.1)
    return v5 && !SharedFilter.isShared(filter);
  }

  /**
   * Connects, subscribes at the broker, then subscribes and serves on the bus. When a step fails,
   * what was opened is closed again and the future fails with the step's error.
   */
  public Future<Void> start() {
    client.messageHandler(router);
    client.disconnectedHandler(info -> meters.connected(false));
    client.errorHandler(e -> {
      countRefusal(e);
      log.warn("MQTT bridge '" + options.getName() + "': " + e.getMessage());
    });
    client.connectedHandler(info -> {
      meters.connected(true);
      if (subscribed && !info.sessionPresent()) {
        meters.resubscribed();
        subscribeAtBroker().onFailure(e -> log.warn("MQTT bridge '" + options.getName() + "' could not subscribe again: "
          + e.getMessage()));
      }
    });
    return client.connect()
      .onFailure(this::countRefusal)
      .compose(connAck -> {
        useIdentifiers = options.getClient().getVersion() == MqttVersion.V5 && connAck.subscriptionIdentifiersAvailable();
        if (!useIdentifiers) {
          List<String> filters = new ArrayList<>();
          router.routes().forEach(r -> filters.add(r.subscription.filter()));
          requireDisjoint(filters, "the broker does not offer subscription identifiers");
        }
        return subscribeAtBroker();
      })
      .compose(v -> {
        subscribed = true;
        return subscribeOnBus();
      })
      .recover(failure -> stop().transform(v -> Future.failedFuture(failure)));
  }

  private void countRefusal(Throwable failure) {
    if (failure instanceof MqttException refusal && refusal.reasonCode() instanceof ConnectReason reason) {
      meters.connectRefused(reason);
    }
  }

  private Future<Void> subscribeAtBroker() {
    List<Future<Void>> all = new ArrayList<>();
    List<InboundRouter.Route> routes = router.routes();
    for (int i = 0; i < routes.size(); i++) {
      Subscription s = routes.get(i).subscription;
      SubscribeRequest.Builder request = SubscribeRequest.builder().add(s);
      if (useIdentifiers) {
        request.subscriptionIdentifier(i + 1);
      }
      all.add(client.subscribe(request.build()).compose(result -> result.allGranted() ? Future.succeededFuture()
        : Future.failedFuture(new FlowException(FlowError.REFUSED, "the broker refused the subscription to '" + s.filter()
          + "': " + result.reasonCodes().get(0) + (result.reasonString() == null ? "" : " " + result.reasonString())))));
    }
    return Future.all(all).mapEmpty();
  }

  private Future<Void> subscribeOnBus() {
    List<Future<?>> all = new ArrayList<>();
    for (TopicMapping m : options.getOutbound()) {
      TopicRewrite rewrite = TopicRewrite.of(m.getBus(), m.getBroker(), "outbound mapping " + m);
      SubscriptionOptions so = new SubscriptionOptions()
        .setFilter(m.getBus())
        .setQos(m.getQos())
        .setNoLocal(true)
        .setOwner(origin)
        .setMaxInflight(options.getOutboundMaxInflight())
        .setBufferSize(options.getOutboundBufferSize())
        .setOverflowPolicy(options.getOutboundOverflowPolicy());
      all.add(bus.subscribe(so, forwarding.toBroker(rewrite)).onSuccess(busSubscriptions::add));
    }
    for (RequestMapping m : options.getOutboundRequests()) {
      all.add(bus.serve(m.getBusAddress(), request -> outboundRequests.request(m, request)).onSuccess(services::add));
    }
    return Future.all(all).mapEmpty();
  }

  /** Stops serving and subscribing on the bus, fails pending requests, disconnects from the broker. */
  public Future<Void> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    busSubscriptions.forEach(s -> closing.add(s.close()));
    services.forEach(s -> closing.add(s.close()));
    return Future.join(closing)
      .transform(v -> {
        outboundRequests.close();
        busPublish.close();
        return client.disconnect();
      })
      .andThen(v -> {
        meters.connected(false);
        meters.close();
      });
  }
}
