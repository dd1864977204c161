package io.flowsdk.busrelay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.QoS;
import io.flowsdk.busrelay.GrpcRelayOptions;
import io.flowsdk.busrelay.VisitedClusters;
import io.flowsdk.busrelay.impl.RelayMeters.Direction;
import io.flowsdk.busrelay.impl.RelayMeters.DropReason;
import io.flowsdk.grpc.GrpcFailures;
import io.flowsdk.grpc.MessageMapping;
import io.flowsdk.grpc.v1.Ack;
import io.flowsdk.grpc.v1.Delivery;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeAckedResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.Subscription;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.topic.TopicRewrite;
import io.flowsdk.util.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;

import java.util.HashMap;
import java.util.Map;

/**
 * The inbound half of the gRPC relay: one SubscribeAcked stream to the remote gateway with a
 * subscription per inbound mapping. Each delivery is rewritten, marked with the remote cluster when
 * it is known, dropped (and acknowledged) when it has been on this cluster already, and otherwise
 * published on the bus; a QoS 1/2 delivery is acknowledged to the remote only when the bus publish
 * completed, so one the bus refused is delivered again by the gateway. A broken or refused stream is
 * opened again with {@link Backoff}. Runs on the relay's context.
 */
final class RemoteSubscriber {

  private static final Logger log = LoggerFactory.getLogger(RemoteSubscriber.class);

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;
  private final GrpcRelayOptions options;
  private final FlowBus bus;
  private final String cluster;
  private final FlowOrigin origin;
  private final Backoff backoff;
  private final RelayMeters meters;
  private final StreamFailures failures;
  private final Map<String, TopicRewrite> rewrites = new HashMap<>();
  private GrpcClientRequest<SubscribeAckedRequest, SubscribeAckedResponse> stream;
  private boolean closed;
  private int attempt;
  private long reconnectTimer = -1;

  RemoteSubscriber(Vertx vertx, GrpcClient client, SocketAddress address, GrpcRelayOptions options, FlowBus bus,
                   String cluster, FlowOrigin origin, Backoff backoff, RelayMeters meters,
                   StreamFailures failures) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.options = options;
    this.bus = bus;
    this.cluster = cluster;
    this.origin = origin;
    this.backoff = backoff;
    this.meters = meters;
    this.failures = failures;
    for (TopicMapping m : options.getInbound()) {
      rewrites.put(m.getBroker(), TopicRewrite.of(m.getBroker(), m.getBus(), "inbound mapping " + m));
    }
  }

  void start() {
    if (!rewrites.isEmpty()) {
      open();
    }
  }

  private void open() {
    client.request(address, FlowGrpcClient.SubscribeAcked).onComplete(ar -> {
      if (ar.failed()) {
        lost(null, ar.cause());
        return;
      }
      GrpcClientRequest<SubscribeAckedRequest, SubscribeAckedResponse> request = ar.result();
      if (closed) {
        request.cancel();
        return;
      }
      if (options.getToken() != null) {
        request.headers().set("authorization", "Bearer " + options.getToken());
      }
      stream = request;
      request.exceptionHandler(e -> lost(request, e));
      SubscribeRequest.Builder subscribe = SubscribeRequest.newBuilder();
      for (TopicMapping m : options.getInbound()) {
        subscribe.addSubscriptions(Subscription.newBuilder().setFilter(m.getBroker()).setQosValue(m.getQos().value()));
      }
      request.write(SubscribeAckedRequest.newBuilder().setSubscribe(subscribe).build());
      request.response().onComplete(rar -> {
        if (rar.failed()) {
          lost(request, rar.cause());
          return;
        }
        GrpcClientResponse<SubscribeAckedRequest, SubscribeAckedResponse> response = rar.result();
        response.handler(r -> onResponse(request, r));
        response.exceptionHandler(e -> lost(request, e));
        response.endHandler(v -> lost(request, failures.ended(response, "subscription")));
      });
    });
  }


  private void onResponse(GrpcClientRequest<SubscribeAckedRequest, SubscribeAckedResponse> request,
                          SubscribeAckedResponse response) {
    if (request != stream) {
      return;
    }
    if (response.hasSubscribed()) {
      attempt = 0;
      meters.subscribed(true);
    } else if (response.hasDelivery()) {
      deliver(request, response.getDelivery());
    } else {
      response.getDeliveries().getDeliveriesList().forEach(d -> deliver(request, d));
    }
  }

  private void deliver(GrpcClientRequest<SubscribeAckedRequest, SubscribeAckedResponse> request, Delivery delivery) {
    TopicRewrite rewrite = rewrites.get(delivery.getFilter());
    String topic = rewrite == null ? null : rewrite.apply(delivery.getMessage().getTopic());
    if (topic == null) {
      meters.dropped(DropReason.UNMAPPABLE);
      ack(request, delivery);
      return;
    }
    FlowMessage message;
    try {
      message = MessageMapping.toBus(delivery.getMessage(), null, origin, Integer.MAX_VALUE).toBuilder().topic(topic).build();
    } catch (FlowException invalid) {
      meters.failed(Direction.INBOUND, invalid.error());
      ack(request, delivery);
      return;
    }
    if (options.getRemoteCluster() != null) {
      message = VisitedClusters.leaving(message, options.getRemoteCluster());
    }
    if (VisitedClusters.visited(message, cluster)) {
      meters.dropped(DropReason.LOOP);
      ack(request, delivery);
      return;
    }
    QoS qos = message.qos();
    bus.publish(message).onComplete(ar -> {
      if (ar.succeeded()) {
        meters.forwarded(Direction.INBOUND, qos);
        ack(request, delivery);
      } else {
        // not acknowledged: the remote gateway delivers it again after its redelivery timeout
        meters.failed(Direction.INBOUND, FlowException.from(ar.cause()).error());
      }
    });
  }

  private void ack(GrpcClientRequest<SubscribeAckedRequest, SubscribeAckedResponse> request, Delivery delivery) {
    if (request == stream && delivery.getMessage().getQosValue() > 0) {
      request.write(SubscribeAckedRequest.newBuilder().setAck(Ack.newBuilder().addDeliveryIds(delivery.getDeliveryId())).build());
    }
  }

  private void lost(GrpcClientRequest<?, ?> request, Throwable cause) {
    if (request != stream || closed) {
      return;
    }
    FlowException why = request == null ? failures.notOpened(cause) : failures.broke(cause);
    stream = null;
    meters.subscribed(false);
    long delay = backoff.delay(++attempt);
    log.warn("bus relay '" + options.getName() + "': the subscription at " + address + " is down (" + why.getMessage()
      + "); next attempt in " + delay + " ms");
    reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> {
      reconnectTimer = -1;
      if (!closed) {
        open();
      }
    });
  }

  void close() {
    closed = true;
    meters.subscribed(false);
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (stream != null) {
      stream.cancel();
      stream = null;
    }
  }
}
