package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.relay.RelayEdgeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The edge's MQTT listener of one verticle instance: a Vert.x NetServer with Netty's MQTT codec in each
 * connection's pipeline, and one gRPC client whose streams (one per client connection) share one
 * HTTP/2 connection to the upstream.
 */
public final class EdgeListener {

  private final Vertx vertx;
  private final RelayEdgeOptions options;
  private final RelayMetrics metrics;
  private final GrpcClient upstreams;
  private final Set<EdgeSession> sessions = new HashSet<>();
  private NetServer server;

  public EdgeListener(Vertx vertx, RelayEdgeOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = new RelayMetrics(vertx, "edge", options.getName());
    this.upstreams = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(options.getMaxPacketSize() + 1024L),
      new HttpClientOptions().setHttp2ClearTextUpgrade(false)
        .setHttp2ConnectionWindowSize(Http2Windows.connectionWindow(options.getMaxSessions())));
  }

  public Future<Integer> listen() {
    server = vertx.createNetServer(new NetServerOptions().setHost(options.getHost()).setPort(options.getPort())
      .setTcpNoDelay(true));
    server.connectHandler(so -> {
      NetSocketInternal socket = MqttSockets.install((NetSocketInternal) so, options.getMaxPacketSize());
      sessions.add(new EdgeSession(vertx, upstreams, options, metrics, socket,
        () -> sessions.size() > options.getMaxSessions(), sessions::remove));
    });
    return server.listen().map(NetServer::actualPort);
  }

  /** Closes the listener and every session (the upstream sees the streams end), then the gRPC client. */
  public Future<Void> close() {
    new ArrayList<>(sessions).forEach(s -> s.close(null, "the relay edge is stopping"));
    Future<Void> listening = server == null ? Future.succeededFuture() : server.close();
    return listening.eventually(upstreams::close);
  }
}
