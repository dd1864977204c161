package io.flowsdk.bus;

import io.flowsdk.bus.impl.FlowBusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * The flow bus: publish/subscribe with MQTT topic filters (wildcards and {@code $share/group/}
 * shared subscriptions) and request/response, the same on one node and across a Hazelcast cluster.
 *
 * <p>There is one bus per {@link Vertx} instance; {@link #create} returns it, creating it on first
 * use. In a cluster every node keeps a table of which nodes subscribe to which filters, so a
 * publish is sent only to nodes with a matching subscription. A new subscription's route reaches
 * the other nodes asynchronously (typically within milliseconds): a publish from another node in
 * that window does not see it.
 *
 * <p>Guarantees by QoS: QoS 0 is sent once and may be dropped at a full subscription buffer
 * (counted). A QoS 1 or 2 publish ends, always, with success once every target node's subscribers
 * acknowledged, or with a {@link io.flowsdk.FlowException} saying what happened: each subscriber has
 * {@link FlowBusOptions#getAckTimeoutMillis()} to take and acknowledge the message (else
 * {@code OVERLOADED} if it never took it, {@code TIMEOUT} if its handler did not complete). Only a
 * delivery lost in transit to another node is sent again, up to {@link FlowBusOptions#getMaxRetries()}
 * times with capped, jittered backoff, and the receiving node answers a copy it has seen with the
 * first copy's outcome, so a retry never delivers twice. A node that leaves with a delivery in
 * flight fails it with {@code DISCONNECTED}.
 *
 * <p>Futures returned by the bus complete on the context of the caller (the verticle's event loop),
 * so an adapter can keep its connection state on its own event loop without hopping back itself.
 */
public interface FlowBus {

  /**
   * The bus of {@code vertx}: the one that runs, whatever its options (a node's bus has the node
   * configuration's {@code bus} options), or a new one with the default options.
   */
  static Future<FlowBus> create(Vertx vertx) {
    return FlowBusRegistry.busOf(vertx, null);
  }

  /**
   * The bus of {@code vertx} with {@code options}: created with them, or the running bus when its
   * options are the same. Fails with {@code INVALID} when a bus with other options runs. In a
   * clustered Vert.x the bus joins the cluster's route table before the future completes.
   */
  static Future<FlowBus> create(Vertx vertx, FlowBusOptions options) {
    return FlowBusRegistry.busOf(vertx, options);
  }

  /** This node's identity in the cluster (stable while the node runs). */
  String nodeId();

  /**
   * Routes {@code message} to every matching subscription in the cluster. Fails with
   * {@code INVALID} for a bad message, {@code TOO_LARGE} above the configured maximum, and for
   * QoS 1/2 with the first delivery failure after retries ({@code TIMEOUT}, {@code OVERLOADED}, …).
   * No matching subscriber is a success with {@link PublishResult#noSubscribers()}.
   */
  Future<PublishResult> publish(FlowMessage message);

  /**
   * Routes {@code message} to one member of the shared group {@code sharedFilter} (a
   * {@code $share/group/filter} subscription anywhere in the cluster whose filter matches the topic)
   * and to no other subscription, never to a member whose owner ({@link SubscriptionOptions#getOwner()})
   * is {@code except}. For a message one member took and could not finish: an MQTT shared subscriber
   * that left without acknowledging it hands it to another member this way. The retain flag is not
   * acted on (the message was retained, if at all, when first published). The node is picked among
   * those with members of the group, this one only if it has a member {@code except} does not own; a
   * node elsewhere whose only members {@code except} owns answers with no subscriber (an MQTT session's
   * origin names its node, so its members are all here). Fails like
   * {@link #publish}, and with {@code INVALID} when {@code sharedFilter} is not a shared filter; no
   * other member is a success with {@link PublishResult#noSubscribers()}.
   */
  Future<PublishResult> publishToGroup(FlowMessage message, String sharedFilter, FlowOrigin except);

  /** Subscribes a handler that takes each message synchronously (the acknowledgement is immediate). */
  default Future<FlowSubscription> subscribe(String filter, Handler<FlowMessage> handler) {
    return subscribe(new SubscriptionOptions().setFilter(filter), message -> {
      handler.handle(message);
      return Future.succeededFuture();
    });
  }

  /**
   * Subscribes with options; the future completes when the route is registered in the cluster.
   * The handler runs on the context that called this method. Fails with {@code INVALID} for a bad
   * filter.
   */
  Future<FlowSubscription> subscribe(SubscriptionOptions options, FlowHandler handler);

  /**
   * Sends {@code request} to the responder serving {@code address} (one of them, round robin, if
   * several serve it anywhere in the cluster) and returns its answer. Fails with {@code NO_ROUTE}
   * when nobody serves the address, {@code TIMEOUT} when no answer came in time, or the code the
   * responder failed with.
   */
  Future<FlowMessage> request(String address, FlowMessage request, Duration timeout);

  /** Serves {@code address} with {@code responder}, which runs on the context that called this method. */
  Future<FlowService> serve(String address, FlowResponder responder);

  /**
   * The nodes a publish to {@code topic} would be sent to now, this node included when it has a
   * matching subscription (shared subscriptions count every node with a member that may take the group's next
   * message: one not on stand-by if the group has any, else one on stand-by). For diagnostics:
   * it shows what this node knows of the cluster's routes.
   */
  Future<java.util.Set<String>> routeOf(String topic);

  /**
   * The filters this node subscribes to, sorted: the routes it announces to the cluster (a shared
   * subscription with its {@code $share/group/} prefix). For diagnostics.
   */
  Future<java.util.SortedSet<String>> routes();

  /**
   * Makes {@code retainer} keep the retained messages published on this node's bus: a message with
   * its retain flag is admitted by it before it is routed, and completes once routed and retained
   * (without a retainer the flag only travels with the message). The first retainer installed is the
   * one used, the next takes over when it is removed. Returns what removes it.
   */
  Runnable retainWith(FlowRetainer retainer);

  /** Closes every subscription and service of this bus and leaves the route table. */
  Future<Void> close();
}
