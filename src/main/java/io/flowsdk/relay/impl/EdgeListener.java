package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.mqtt.protocol.WireCheck;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.util.WriteCoalescing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.impl.GrpcClientImpl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The edge's MQTT listeners of one verticle instance: a Vert.x NetServer per configured listener (TCP,
 * TLS, WebSocket) with Netty's MQTT codec in each connection's pipeline, and one gRPC client whose
 * streams (one per client connection) share one HTTP/2 connection to each upstream.
 */
public final class EdgeListener {

  private final Vertx vertx;
  private final RelayEdgeOptions options;
  private final RelayMetrics metrics;
  private final GrpcClient grpc;
  private final UpstreamChoice upstreams;
  private final Set<EdgeSession> sessions = new HashSet<>();
  private final List<NetServer> servers = new ArrayList<>();

  public EdgeListener(Vertx vertx, RelayEdgeOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = new RelayMetrics(vertx, "edge", options.getName());
    HttpClient http = vertx.httpClientBuilder().with(httpOptions(options)).withConnectHandler(WriteCoalescing::install).build();
    // vertx-grpc 5.0.7 takes GrpcClientOptions beside an HttpClient of ours only through this constructor
    this.grpc = new GrpcClientImpl(vertx, new GrpcClientOptions().setMaxMessageSize(options.getMaxPacketSize() + 1024L),
      http, true) { };
    this.upstreams = new UpstreamChoice(options, System::currentTimeMillis);
  }

  private static HttpClientOptions httpOptions(RelayEdgeOptions options) {
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setHttp2ConnectionWindowSize(Http2Windows.connectionWindow(options.getMaxSessions()));
    if (options.isUpstreamTls()) {
      http.setSsl(true).setUseAlpn(true);
      if (options.getUpstreamTlsCaPath() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(options.getUpstreamTlsCaPath()));
      }
      if (options.getUpstreamTlsCertPath() != null) {
        http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getUpstreamTlsCertPath())
          .setKeyPath(options.getUpstreamTlsKeyPath()));
      }
    }
    return http;
  }

  /** Starts every listener; the bound ports, in the order of the options' listeners. */
  public Future<List<Integer>> listen() {
    List<Future<NetServer>> listening = new ArrayList<>();
    for (MqttListenerOptions listener : options.getListeners()) {
      NetServer server = vertx.createNetServer(listener.applyTo(new NetServerOptions().setTcpNoDelay(true)));
      boolean webSocket = listener.getTransport() == MqttListenerOptions.Transport.WEBSOCKET;
      server.connectHandler(so -> {
        NetSocketInternal socket = (NetSocketInternal) so;
        if (webSocket) {
          EdgeWebSocket.install(socket, options.getMaxPacketSize());
        }
        WriteCoalescing.install(MqttSockets.install(socket, options.getMaxPacketSize()));
        // what the broker would refuse in a packet's bytes must not be lost in the relay's re-encoding
        WireCheck.install(socket.channelHandlerContext().pipeline(), options.getMaxPacketSize(), code -> metrics.protocolError());
        sessions.add(new EdgeSession(vertx, grpc, upstreams, options, metrics, socket,
          () -> sessions.size() > options.getMaxSessions(), sessions::remove));
      });
      servers.add(server);
      listening.add(server.listen());
    }
    return Future.all(listening).map(all -> servers.stream().map(NetServer::actualPort).toList());
  }

  /** Closes the listeners and every session (the upstream sees the streams end), then the gRPC client. */
  public Future<Void> close() {
    new ArrayList<>(sessions).forEach(s -> s.close(null, "the relay edge is stopping"));
    List<Future<Void>> closing = servers.stream().map(NetServer::close).toList();
    return Future.join(closing).<Void>mapEmpty().eventually(grpc::close);
  }
}
