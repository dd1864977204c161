package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.MessageMapping;
import io.flowsdk.grpc.v1.Deliveries;
import io.flowsdk.grpc.v1.Delivery;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.Subscribed;
import io.flowsdk.grpc.v1.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The server side of Subscribe and SubscribeAcked: bus subscriptions feeding a bounded
 * {@link DeliveryQueue} that is written to the client only while its HTTP/2 window has room
 * ({@code writeQueueFull} / {@code drainHandler}), so a slow reader holds at most the queue.
 *
 * <p>Without client acks (Subscribe) a QoS 1/2 delivery is acknowledged to the bus once written to
 * the stream. With client acks (SubscribeAcked) it is acknowledged when the client acks its id; an
 * unacknowledged one is sent again after the redelivery timeout, up to the configured count.
 *
 * <p>The bus hands every message to the stream at once ({@link #BUS_WINDOW}), so the stream's own
 * buffer, overflow policy and counters govern at every QoS: what waits for the client waits in the
 * {@link DeliveryQueue}, never in the bus subscription's buffer. The QoS 1/2 deliveries written and
 * not yet done ({@link #awaiting}) are bounded by {@link #awaitingLimit}; beyond it they wait in the queue.
 *
 * <p>A client that asks for batches ({@code max_batch} above 1) gets every delivery in a {@code deliveries}
 * response holding what is ready, up to its {@code max_batch} (at most {@link #MAX_BATCH}) and
 * {@link #BATCH_BYTES}: one gRPC message, one HTTP/2 frame and one flush for many deliveries. For a batch
 * to form, what the bus hands over is written at the end of the event-loop turn, not as it arrives.
 */
final class SubscribeStream<Resp> {

  /**
   * The in-flight window of each bus subscription: the bus maximum. The stream holds at most
   * {@code streamBufferSize + maxUnackedDeliveries} (or {@link #WRITE_WINDOW}) QoS 1/2 messages, which
   * the options' ranges keep below it, so the bus never buffers for a stream.
   */
  static final int BUS_WINDOW = 65_535;
  /** QoS 1/2 deliveries of a Subscribe (no client acks) handed to HTTP/2 and not yet written out, at most. */
  static final int WRITE_WINDOW = 1024;
  /** The most deliveries in one batch, whatever the client asks. */
  static final int MAX_BATCH = 256;
  /**
   * A batch takes no more deliveries once it holds this many bytes: HTTP/2's default initial window is
   * 65,535 bytes, so a larger response would not go out in one write anyway. One delivery may exceed it.
   */
  static final int BATCH_BYTES = 64 * 1024;

  private final Call<?, Resp> call;
  private final GrpcGatewayOptions options;
  private final boolean clientAcks;
  private final Function<Subscribed, Resp> subscribedShape;
  private final Function<Delivery, Resp> deliveryShape;
  private final Function<Deliveries, Resp> batchShape;
  private final DeliveryQueue queue;
  private final Map<Long, PendingDelivery> unacked = new HashMap<>();
  private final List<FlowSubscription> subscriptions = new ArrayList<>();
  private long nextDeliveryId = 1;
  private boolean subscribeReceived;
  /** Set once {@code subscribed} is written: deliveries arriving earlier wait in the queue. */
  private boolean confirmed;
  private long droppedSinceLastDelivery;
  /** QoS 1/2 deliveries written and not yet done: being written out (Subscribe) or unacknowledged (SubscribeAcked). */
  private int awaiting;
  private final int awaitingLimit;
  /** Set while {@link #pump} runs: a write that completes at once must not start a nested pump. */
  private boolean pumping;
  /** Deliveries per response: 1 unless the client asked for batches. */
  private int maxBatch = 1;
  private final Context context;
  private boolean pumpScheduled;

  SubscribeStream(Call<?, Resp> call, boolean clientAcks, Function<Subscribed, Resp> subscribedShape,
                  Function<Delivery, Resp> deliveryShape, Function<Deliveries, Resp> batchShape) {
    this.call = call;
    this.options = call.gateway.options;
    this.clientAcks = clientAcks;
    this.subscribedShape = subscribedShape;
    this.deliveryShape = deliveryShape;
    this.batchShape = batchShape;
    this.queue = new DeliveryQueue(options.getStreamBufferSize(), options.getOverflowPolicy());
    this.awaitingLimit = clientAcks ? options.getMaxUnackedDeliveries() : WRITE_WINDOW;
    this.context = Vertx.currentContext();
    call.response().drainHandler(v -> pump());
    call.onRelease(this::release);
  }

  /** Validates and subscribes everything in {@code request}; the call fails if any of it fails. */
  void subscribe(SubscribeRequest request) {
    List<SubscriptionOptions> wanted;
    try {
      wanted = validate(request);
    } catch (RuntimeException e) {
      call.fail(e);
      return;
    }
    maxBatch = Math.max(1, Math.min(MAX_BATCH, request.getMaxBatch()));
    List<Future<FlowSubscription>> futures = new ArrayList<>(wanted.size());
    for (SubscriptionOptions o : wanted) {
      String filter = o.getFilter();
      QoS maxQos = o.getQos();
      futures.add(call.gateway.bus.subscribe(o, message -> deliver(filter, maxQos, message))
        .onSuccess(this::keep));
    }
    Future.all(futures).onComplete(ar -> {
      if (call.isDone()) {
        return;
      }
      if (ar.failed()) {
        call.fail(ar.cause());
        return;
      }
      Subscribed.Builder ok = Subscribed.newBuilder();
      wanted.forEach(o -> ok.addFilters(o.getFilter()));
      call.write(subscribedShape.apply(ok.build()));
      confirmed = true;
      pump();
    });
  }

  /** A SubscribeAcked client message: one {@code subscribe} first, then only {@code ack}s. */
  void onAckedRequest(SubscribeAckedRequest message) {
    if (message.hasSubscribe() && !subscribeReceived) {
      subscribeReceived = true;
      subscribe(message.getSubscribe());
    } else if (message.hasAck() && subscribeReceived) {
      acknowledge(message.getAck().getDeliveryIdsList());
    } else {
      throw new FlowException(FlowError.PROTOCOL_ERROR,
        "SubscribeAcked takes one 'subscribe' first and then only 'ack' messages");
    }
  }

  /** The client acknowledged deliveries (SubscribeAcked). Unknown or repeated ids are ignored. */
  private void acknowledge(List<Long> deliveryIds) {
    for (Long id : deliveryIds) {
      PendingDelivery d = unacked.remove(id);
      if (d != null) {
        call.gateway.vertx.cancelTimer(d.timerId);
        d.ack.tryComplete();
        awaited();
      }
    }
  }

  /** A written QoS 1/2 delivery is done (or goes back to the queue): one more may be written. */
  private void awaited() {
    awaiting--;
    pump();
  }

  private List<SubscriptionOptions> validate(SubscribeRequest request) {
    int count = request.getSubscriptionsCount();
    if (count == 0) {
      throw new FlowException(FlowError.INVALID, "subscriptions is empty: give at least one topic filter");
    }
    if (count > options.getMaxSubscriptionsPerStream()) {
      throw new FlowException(FlowError.OVERLOADED, count + " subscriptions in one stream, more than the gateway's"
        + " maxSubscriptionsPerStream " + options.getMaxSubscriptionsPerStream());
    }
    List<SubscriptionOptions> result = new ArrayList<>(count);
    Map<String, Integer> indexByFilter = new HashMap<>();
    for (int i = 0; i < count; i++) {
      Subscription s = request.getSubscriptions(i);
      SubscriptionOptions o;
      try {
        o = new SubscriptionOptions().setFilter(s.getFilter());
      } catch (FlowException e) {
        throw new FlowException(FlowError.INVALID, "subscriptions[" + i + "].filter: " + e.getMessage());
      }
      Integer first = indexByFilter.putIfAbsent(s.getFilter(), i);
      if (first != null) {
        throw new FlowException(FlowError.INVALID, "subscriptions[" + i + "].filter '" + s.getFilter()
          + "' repeats subscriptions[" + first + "]: give each filter once, with the highest qos it needs");
      }
      call.checkOutbound(s.getFilter());
      result.add(o.setQos(MessageMapping.qos(s.getQosValue(), "subscriptions[" + i + "].qos"))
        .setNoLocal(s.getNoLocal())
        .setOwner(call.origin)
        .setMaxInflight(BUS_WINDOW));
    }
    return result;
  }

  private void keep(FlowSubscription subscription) {
    if (call.isDone()) {
      subscription.close();
    } else {
      subscriptions.add(subscription);
    }
  }

  private Future<Void> deliver(String filter, QoS maxQos, FlowMessage message) {
    if (call.isDone()) {
      return Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "the gRPC subscriber's stream ended"));
    }
    FlowMessage effective = message.qos().ordinal() > maxQos.ordinal() ? message.toBuilder().qos(maxQos).build() : message;
    Promise<Void> ack = effective.qos() == QoS.AT_MOST_ONCE ? null : Promise.promise();
    PendingDelivery delivery = new PendingDelivery(nextDeliveryId++, filter, effective, ack);
    PendingDelivery dropped = queue.offer(delivery);
    if (queue.overflowed()) {
      FlowException overflow = new FlowException(FlowError.OVERLOADED, "the subscriber reads too slowly: its buffer of "
        + options.getStreamBufferSize() + " deliveries is full and the overflowPolicy is END_STREAM");
      call.gateway.metrics.overflowEnded();
      if (ack != null) {
        ack.tryFail(overflow);
      }
      call.fail(overflow);
    } else if (dropped != null) {
      droppedSinceLastDelivery++;
      call.gateway.metrics.dropped(queue.policy().name());
      if (dropped.ack != null) {
        dropped.ack.tryFail(new FlowException(FlowError.OVERLOADED, "dropped by a full gRPC subscriber buffer ("
          + queue.policy() + ")"));
      }
    }
    if (maxBatch == 1) {
      pump();
    } else if (!pumpScheduled) {
      pumpScheduled = true;
      context.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
    return ack == null ? Future.succeededFuture() : ack.future();
  }

  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      writeWhileRoom();
    } finally {
      pumping = false;
    }
  }

  private void writeWhileRoom() {
    long now = System.currentTimeMillis();
    while (confirmed && !call.isDone() && awaiting < awaitingLimit && !call.response().writeQueueFull()) {
      PendingDelivery first = nextLive(now);
      if (first == null) {
        return;
      }
      List<PendingDelivery> sent = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
      Resp response = maxBatch == 1 ? deliveryShape.apply(toProto(first, now, sent)) : batch(first, now, sent);
      Future<Void> written = call.write(response);
      sent.forEach(d -> track(d, written));
    }
  }

  /** {@code first} and what else is ready, within the batch bounds and the awaiting window. */
  private Resp batch(PendingDelivery first, long now, List<PendingDelivery> sent) {
    Deliveries.Builder batch = Deliveries.newBuilder();
    int bytes = 0;
    int acks = 0;
    for (PendingDelivery d = first; d != null; ) {
      Delivery proto = toProto(d, now, sent);
      batch.addDeliveries(proto);
      bytes += proto.getSerializedSize();
      acks += d.ack == null ? 0 : 1;
      d = sent.size() < maxBatch && bytes < BATCH_BYTES && awaiting + acks < awaitingLimit ? nextLive(now) : null;
    }
    return batchShape.apply(batch.build());
  }

  /** The next queued delivery that has not expired, or null; an expired QoS 1/2 one is done. */
  private PendingDelivery nextLive(long now) {
    for (PendingDelivery d = queue.poll(); d != null; d = queue.poll()) {
      if (!d.message.isExpired(now)) {
        return d;
      }
      if (d.ack != null) {
        d.ack.tryComplete();
      }
    }
    return null;
  }

  private Delivery toProto(PendingDelivery d, long now, List<PendingDelivery> sent) {
    Delivery proto = Delivery.newBuilder()
      .setDeliveryId(d.id)
      .setFilter(d.filter)
      .setMessage(MessageMapping.toProto(d.message, now))
      .setRedeliveryCount(d.redeliveryCount)
      .setDroppedBefore(droppedSinceLastDelivery)
      .build();
    droppedSinceLastDelivery = 0;
    sent.add(d);
    call.gateway.metrics.delivered();
    return proto;
  }

  /** A QoS 1/2 delivery handed to HTTP/2 is done when the client acks it (SubscribeAcked) or once written. */
  private void track(PendingDelivery d, Future<Void> written) {
    if (d.ack == null) {
      return;
    }
    awaiting++;
    if (clientAcks) {
      unacked.put(d.id, d);
      d.timerId = call.gateway.vertx.setTimer(options.getRedeliveryTimeoutMillis(), t -> redeliver(d.id));
    } else {
      written.onComplete(ar -> {
        if (ar.succeeded()) {
          d.ack.tryComplete();
        } else {
          d.ack.tryFail(new FlowException(FlowError.DISCONNECTED, "the gRPC subscriber's stream ended before delivery "
            + d.id + " was written: " + ar.cause().getMessage(), ar.cause()));
        }
        awaited();
      });
    }
  }

  private void redeliver(long id) {
    PendingDelivery d = unacked.remove(id);
    if (d == null || call.isDone()) {
      return;
    }
    if (d.redeliveryCount >= options.getMaxRedeliveries()) {
      d.ack.tryFail(new FlowException(FlowError.TIMEOUT, "the gRPC subscriber did not acknowledge delivery " + id
        + " after " + (d.redeliveryCount + 1) + " sends"));
      awaited();
      return;
    }
    d.redeliveryCount++;
    call.gateway.metrics.redelivered();
    queue.requeue(d);
    awaited();
  }

  private void release() {
    subscriptions.forEach(FlowSubscription::close);
    subscriptions.clear();
    FlowException gone = new FlowException(FlowError.DISCONNECTED, "the gRPC subscriber's stream ended");
    for (PendingDelivery d = queue.poll(); d != null; d = queue.poll()) {
      if (d.ack != null) {
        d.ack.tryFail(gone);
      }
    }
    for (PendingDelivery d : unacked.values()) {
      call.gateway.vertx.cancelTimer(d.timerId);
      d.ack.tryFail(gone);
    }
    unacked.clear();
  }
}
