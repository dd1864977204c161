package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerAdmin;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.mqtt.protocol.WireCheck;
import io.flowsdk.util.Contexts;
import io.flowsdk.util.WriteCoalescing;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Starts the listeners of a {@link MqttBroker} and hands each accepted CONNECT to a {@link Connection}. */
public final class MqttBrokerImpl implements MqttBroker {

  private final List<BrokerListener> servers;
  private final Sessions sessions;
  private final SysTopics sys;
  private final MqttBrokerAdmin admin;
  /** Stops retaining for the node's bus and closes the retained store. */
  private final Supplier<Future<Void>> closeRetained;

  private MqttBrokerImpl(List<BrokerListener> servers, Sessions sessions, SysTopics sys, MqttBrokerAdmin admin,
                         Supplier<Future<Void>> closeRetained) {
    this.servers = servers;
    this.sessions = sessions;
    this.sys = sys;
    this.admin = admin;
    this.closeRetained = closeRetained;
  }

  public static Future<MqttBroker> start(Vertx vertx, MqttBrokerOptions options) {
    options.getListeners().forEach(MqttListenerOptions::validate);
    String sessionFile = options.getSessionStorePath();
    if (sessionFile != null && sessionFile.equals(options.getRetainedStorePath())) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "MQTT broker: sessionStorePath " + sessionFile
        + " is also the retainedStorePath; give each its own file (one store opens a file)"));
    }
    LongSupplier clock = System::currentTimeMillis;
    BrokerMeters meters = new BrokerMeters(FlowMetrics.registry(vertx));
    Context brokerContext = vertx.getOrCreateContext();
    return FlowBus.create(vertx).compose(bus -> Contexts.call(brokerContext, () -> RetainedStore.open(vertx, brokerContext, options,
      meters)).compose(retained ->
      // back on the broker's context (the maps may answer on another): its sessions, their store
      // callbacks and its connections all live on that one event loop
      openSessionStore(vertx, brokerContext, options, clock).compose(store -> Contexts.call(brokerContext, () -> {
      Subscriptions subscriptions = new Subscriptions(bus, retained, clock, options.isQueueBackpressure());
      Publisher publisher = new Publisher(bus, meters);
      BrokerContext context = new BrokerContext(options, bus.nodeId(), publisher, subscriptions, meters,
        new Authentication(vertx, options.getUsers()));
      context.middleware = new MiddlewareTopics(vertx, NodeMiddleware.of(vertx));
      context.sessions = new Sessions(vertx, bus, store, options, subscriptions, context::publishWill, meters, clock);
      Runnable stopRetaining = bus.retainWith(retained);
      SysTopics sys = new SysTopics(vertx, context.nodeId, publisher, retained, meters, context.sessions::subscriptionCount, clock);
      return context.sessions.start().compose(v -> listen(vertx, options, context, sys,
        new BrokerAdmin(brokerContext, context.sessions, retained), () -> {
          stopRetaining.run();
          return retained.close();
        }));
    }))));
  }

  /**
   * The cluster's session store when Vert.x is clustered with Hazelcast; otherwise this node's memory,
   * written through to {@code sessionStorePath} when set.
   */
  private static Future<SessionStore> openSessionStore(Vertx vertx, Context context, MqttBrokerOptions options, LongSupplier clock) {
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    if (clusterManager instanceof HazelcastClusterManager) {
      return HazelcastSessionStore.open(vertx, context, ((HazelcastClusterManager) clusterManager).getHazelcastInstance());
    }
    String path = options.getSessionStorePath();
    if (path == null) {
      return Future.succeededFuture(new LocalSessionStore());
    }
    return Contexts.call(context, () -> DiskSessionStore.open(vertx, path, clock));
  }

  private static Future<MqttBroker> listen(Vertx vertx, MqttBrokerOptions options, BrokerContext context, SysTopics sys,
                                           MqttBrokerAdmin admin, Supplier<Future<Void>> closeRetained) {
    List<Future<BrokerListener>> listening = new ArrayList<>();
    for (MqttListenerOptions listener : options.getListeners()) {
      Handler<MqttEndpoint> endpoints = endpoint -> new Connection(endpoint, context, listener).accept();
      Consumer<ChannelPipeline> framing = pipeline -> {
        MqttSockets.frame(pipeline, options.getMaxPacketBytes());
        WriteCoalescing.install(pipeline);
        WireCheck.install(pipeline, options.getMaxPacketBytes(),
          code -> context.meters.protocolError(MqttDisconnectReasonCode.valueOf((byte) code)));
      };
      Future<BrokerListener> listen;
      if (listener.getTransport() == MqttListenerOptions.Transport.QUIC) {
        listen = QuicListener.start((VertxInternal) vertx, listener, serverOptions(options, listener), endpoints, framing)
          .map(quic -> quic);
      } else {
        MqttServer server = AcceptHook.create(vertx, serverOptions(options, listener), framing);
        server.endpointHandler(endpoints);
        listen = server.listen().map(BrokerListener.of(server));
      }
      listening.add(listen.recover(e -> Future.failedFuture(new FlowException(FlowError.INVALID,
        "cannot listen on " + listener.getHost() + ":" + listener.getPort() + ": " + e.getMessage(), e))));
    }
    return Future.join(listening).transform(all -> {
      List<BrokerListener> started = new ArrayList<>();
      listening.stream().filter(Future::succeeded).forEach(f -> started.add(f.result()));
      MqttBrokerImpl broker = new MqttBrokerImpl(started, context.sessions, sys, admin, closeRetained);
      if (all.failed()) {
        return broker.close().transform(closed -> Future.failedFuture(all.cause()));
      }
      sys.start(options.getSysIntervalSeconds());
      return Future.<MqttBroker>succeededFuture(broker);
    });
  }

  static MqttServerOptions serverOptions(MqttBrokerOptions options, MqttListenerOptions listener) {
    return listener.applyTo(new MqttServerOptions()
      .setMaxMessageSize(options.getMaxPacketBytes())
      .setAutoClientId(false)
      .setTimeoutOnConnect(options.getConnectTimeoutSeconds())
      .setUseWebSocket(listener.getTransport() == MqttListenerOptions.Transport.WEBSOCKET));
  }

  @Override
  public List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    servers.forEach(s -> ports.add(s.actualPort()));
    return ports;
  }

  @Override
  public MqttBrokerAdmin admin() {
    return admin;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(sys.stop());
    servers.forEach(s -> closing.add(s.close()));
    closing.add(sessions.closeAll());
    return Future.join(closing).transform(closed -> closeRetained.get());
  }
}
