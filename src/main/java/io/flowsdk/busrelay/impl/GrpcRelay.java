package io.flowsdk.busrelay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.busrelay.GrpcRelayOptions;
import io.flowsdk.busrelay.VisitedClusters;
import io.flowsdk.busrelay.impl.RelayMeters.DropReason;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.topic.TopicRewrite;
import io.flowsdk.util.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.util.ArrayList;
import java.util.List;

/**
 * One running gRPC bus relay: a bus subscription per outbound mapping feeding the
 * {@link RemotePublisher}, and a {@link RemoteSubscriber} for the inbound mappings. Topics are
 * rewritten per mapping, and loop prevention ({@link VisitedClusters}) holds in both directions: a
 * message is not sent to the remote cluster when it has been there, and not brought in when it has
 * been here. Runs on the context that created it.
 */
public final class GrpcRelay {

  /** The adapter name in the origin of messages the relay puts on the bus. */
  public static final String ADAPTER = "grpc-relay";
  /** Bus deliveries of one outbound mapping handed to the relay at once: its own buffer is the bound that counts. */
  private static final int BUS_MAX_INFLIGHT = 65_535;

  private final Vertx vertx;
  private final FlowBus bus;
  private final GrpcRelayOptions options;
  private final String cluster;
  private final FlowOrigin origin;
  private final RelayMeters meters;
  private final GrpcClient grpc;
  private final RemotePublisher publisher;
  private final RemoteSubscriber subscriber;
  private final List<FlowSubscription> subscriptions = new ArrayList<>();

  public GrpcRelay(Vertx vertx, FlowBus bus, GrpcRelayOptions options) {
    this.vertx = vertx;
    this.bus = bus;
    this.options = options;
    this.cluster = VisitedClusters.localCluster(vertx, bus, options.getCluster());
    if (cluster.equals(options.getRemoteCluster())) {
      throw new FlowException(FlowError.INVALID, "the relay '" + options.getName() + "' names its own cluster '" + cluster
        + "' as remoteCluster: loop prevention would drop everything; name the remote cluster");
    }
    this.origin = new FlowOrigin(bus.nodeId(), ADAPTER, options.getName());
    this.meters = new RelayMeters(FlowMetrics.registry(vertx), options.getName());
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    options.clientTls().ifPresent(tls -> tls.applyTo(http));
    this.grpc = GrpcClient.client(vertx, http);
    SocketAddress address = SocketAddress.inetSocketAddress(options.getPort(), options.getHost());
    Backoff backoff = options.getReconnect().backoff();
    StreamFailures failures = new StreamFailures(address, options.isTls(), meters);
    this.publisher = new RemotePublisher(vertx, grpc, address, options.getToken(),
      new ForwardBuffer(options.getBufferMaxMessages(), options.getBufferMaxBytes(), options.getOverflowPolicy()),
      backoff, meters, failures, options.getName());
    this.subscriber = new RemoteSubscriber(vertx, grpc, address, options, bus, cluster, origin, backoff, meters, failures);
  }

  /** Subscribes on the bus for every outbound mapping and starts the inbound stream; the remote may still be down. */
  public Future<Void> start() {
    List<Future<?>> all = new ArrayList<>();
    for (TopicMapping m : options.getOutbound()) {
      SubscriptionOptions so = new SubscriptionOptions()
        .setFilter(m.getBus())
        .setQos(m.getQos())
        .setNoLocal(true)
        .setOwner(origin)
        .setMaxInflight(BUS_MAX_INFLIGHT);
      all.add(bus.subscribe(so, toRemote(TopicRewrite.of(m.getBus(), m.getBroker(), "outbound mapping " + m)))
        .onSuccess(subscriptions::add));
    }
    subscriber.start();
    return Future.all(all).<Void>mapEmpty().recover(e -> stop().transform(v -> Future.failedFuture(e)));
  }

  private FlowHandler toRemote(TopicRewrite rewrite) {
    return message -> {
      String topic = rewrite.apply(message.topic());
      if (topic == null) {
        meters.dropped(DropReason.UNMAPPABLE);
        return Future.failedFuture(new FlowException(FlowError.INVALID, "'" + message.topic()
          + "' has no valid name at the remote through " + rewrite));
      }
      if (options.getRemoteCluster() != null && VisitedClusters.visited(message, options.getRemoteCluster())) {
        meters.dropped(DropReason.LOOP);
        return Future.succeededFuture();
      }
      return publisher.send(VisitedClusters.leaving(message.toBuilder().topic(topic).build(), cluster));
    };
  }

  /** Closes the bus subscriptions and both streams; what was not acknowledged fails with {@code CANCELLED}. */
  public Future<Void> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    subscriptions.forEach(s -> closing.add(s.close()));
    return Future.join(closing).transform(v -> {
      publisher.close();
      subscriber.close();
      return grpc.close();
    });
  }
}
