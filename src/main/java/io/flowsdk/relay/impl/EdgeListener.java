package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.mqtt.protocol.WireCheck;
import io.flowsdk.relay.MqttEdgeOptions;
import io.flowsdk.relay.MqttProxyOptions;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.util.WriteCoalescing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The MQTT listeners of one edge verticle instance, the relay edge's or the MQTT proxy's: a Vert.x
 * NetServer per configured listener (TCP, TLS, WebSocket) with Netty's MQTT codec in each connection's
 * pipeline, each connection handed to the instance's {@link Sessions}, and the session limit.
 */
public final class EdgeListener {

  /** What a listener makes of each client connection: a relayed gRPC stream, or a proxied broker connection. */
  interface Sessions {

    /**
     * Opens the session of {@code socket}, accepted on {@code listener}. {@code atLimit} tells whether the
     * listener carries more sessions than its limit; {@code onClose} is called once when the session ends.
     */
    EdgeConnection open(MqttListenerOptions listener, NetSocketInternal socket, BooleanSupplier atLimit,
                        Consumer<EdgeConnection> onClose);

    /** Counts a client's CONNECT refused for what its bytes break (the byte-level check answers it itself). */
    void protocolError();

    /** Releases what the sessions share (a gRPC client), once the listener stopped them all. */
    Future<Void> close();
  }

  private final Vertx vertx;
  private final List<MqttListenerOptions> listeners;
  private final int maxPacketSize;
  private final int maxSessions;
  private final Sessions factory;
  private final Set<EdgeConnection> sessions = new HashSet<>();
  private final List<NetServer> servers = new ArrayList<>();

  private EdgeListener(Vertx vertx, MqttEdgeOptions<?> options, Sessions factory) {
    this.vertx = vertx;
    this.listeners = options.getListeners();
    this.maxPacketSize = options.getMaxPacketSize();
    this.maxSessions = options.getMaxSessions();
    this.factory = factory;
  }

  /** The relay edge's listeners: each client connection becomes a gRPC stream to an upstream. */
  public static EdgeListener relay(Vertx vertx, RelayEdgeOptions options) {
    return new EdgeListener(vertx, options, new RelayEdgeSessions(vertx, options));
  }

  /** The MQTT proxy's listeners: each client connection becomes a connection to one of the brokers. */
  public static EdgeListener proxy(Vertx vertx, MqttProxyOptions options) {
    return new EdgeListener(vertx, options, new ProxySessions(vertx, options));
  }

  /** Starts every listener; the bound ports, in the order of the options' listeners. */
  public Future<List<Integer>> listen() {
    List<Future<NetServer>> listening = new ArrayList<>();
    for (MqttListenerOptions listener : listeners) {
      NetServer server = vertx.createNetServer(listener.applyTo(new NetServerOptions().setTcpNoDelay(true)));
      boolean webSocket = listener.getTransport() == MqttListenerOptions.Transport.WEBSOCKET;
      server.connectHandler(so -> {
        NetSocketInternal socket = (NetSocketInternal) so;
        if (webSocket) {
          EdgeWebSocket.install(socket, maxPacketSize);
        }
        WriteCoalescing.install(MqttSockets.install(socket, maxPacketSize));
        // what the broker would refuse in a packet's bytes must not be lost in the relay's re-encoding
        WireCheck.install(socket.channelHandlerContext().pipeline(), maxPacketSize, code -> factory.protocolError());
        sessions.add(factory.open(listener, socket, () -> sessions.size() > maxSessions, sessions::remove));
      });
      servers.add(server);
      listening.add(server.listen());
    }
    return Future.all(listening).map(all -> servers.stream().map(NetServer::actualPort).toList());
  }

  /** Closes the listeners and every session, then what the sessions share. */
  public Future<Void> close() {
    new ArrayList<>(sessions).forEach(EdgeConnection::stop);
    List<Future<Void>> closing = servers.stream().map(NetServer::close).toList();
    return Future.join(closing).<Void>mapEmpty().eventually(factory::close);
  }
}
