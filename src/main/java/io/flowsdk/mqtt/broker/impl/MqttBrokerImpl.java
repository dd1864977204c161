package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Starts the listeners of a {@link MqttBroker} and hands each accepted CONNECT to a {@link Connection}. */
public final class MqttBrokerImpl implements MqttBroker {

  private final List<MqttServer> servers;
  private final Sessions sessions;

  private MqttBrokerImpl(List<MqttServer> servers, Sessions sessions) {
    this.servers = servers;
    this.sessions = sessions;
  }

  public static Future<MqttBroker> start(Vertx vertx, MqttBrokerOptions options) {
    options.getListeners().forEach(MqttListenerOptions::validate);
    LongSupplier clock = System::currentTimeMillis;
    BrokerMeters meters = new BrokerMeters(FlowMetrics.registry(vertx));
    return FlowBus.create(vertx).compose(bus -> RetainedStore.open(vertx, options.getRetainedMap()).compose(retained -> {
      Subscriptions subscriptions = new Subscriptions(bus, retained, clock);
      BrokerContext context = new BrokerContext(options, bus.nodeId(), new Publisher(bus, retained, meters),
        subscriptions, meters);
      context.sessions = new Sessions(vertx, bus.nodeId(), options, subscriptions, context::publishWill, meters, clock);
      List<MqttServer> servers = new ArrayList<>();
      List<Future<MqttServer>> listening = new ArrayList<>();
      for (MqttListenerOptions listener : options.getListeners()) {
        MqttServer server = MqttServer.create(vertx, serverOptions(options, listener));
        server.endpointHandler(endpoint -> new Connection(endpoint, context).accept());
        servers.add(server);
        listening.add(server.listen().recover(e -> Future.failedFuture(new FlowException(FlowError.INVALID,
          "cannot listen on " + listener.getHost() + ":" + listener.getPort() + ": " + e.getMessage(), e))));
      }
      MqttBrokerImpl broker = new MqttBrokerImpl(servers, context.sessions);
      return Future.all(listening).<MqttBroker>map(broker)
        .recover(e -> broker.close().transform(closed -> Future.failedFuture(e)));
    }));
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
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    servers.forEach(s -> closing.add(s.close()));
    sessions.closeAll();
    return Future.join(closing).mapEmpty();
  }
}
