package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.util.ClientTls;
import io.flowsdk.util.WriteCoalescing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.impl.GrpcClientImpl;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The relay edge's sessions of one verticle instance: one gRPC client whose streams (one per client
 * connection, an {@link EdgeSession}) share one HTTP/2 connection to each upstream.
 */
final class RelayEdgeSessions implements EdgeListener.Sessions {

  private final Vertx vertx;
  private final RelayEdgeOptions options;
  private final RelayMetrics metrics;
  private final GrpcClient grpc;
  private final UpstreamChoice upstreams;

  RelayEdgeSessions(Vertx vertx, RelayEdgeOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = new RelayMetrics(vertx, "edge", options.getName());
    HttpClient http = vertx.httpClientBuilder().with(httpOptions(options)).withConnectHandler(WriteCoalescing::install).build();
    // vertx-grpc 5.0.7 takes GrpcClientOptions beside an HttpClient of ours only through this constructor
    this.grpc = new GrpcClientImpl(vertx, new GrpcClientOptions().setMaxMessageSize(options.getMaxPacketSize() + 1024L),
      http, true) { };
    this.upstreams = new UpstreamChoice(options.getUpstreams(), options.getUpstreamRetry().backoff(), System::currentTimeMillis);
  }

  private static HttpClientOptions httpOptions(RelayEdgeOptions options) {
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setHttp2ConnectionWindowSize(Http2Windows.connectionWindow(options.getMaxSessions()));
    if (options.isUpstreamTls()) {
      new ClientTls(options.getUpstreamTlsCaPath(), options.getUpstreamTlsCertPath(), options.getUpstreamTlsKeyPath()).applyTo(http);
    }
    return http;
  }

  @Override
  public EdgeConnection open(MqttListenerOptions listener, NetSocketInternal socket, BooleanSupplier atLimit,
                             Consumer<EdgeConnection> onClose) {
    return new EdgeSession(vertx, grpc, upstreams, options, metrics, socket, atLimit, onClose::accept);
  }

  @Override
  public void protocolError() {
    metrics.protocolError();
  }

  @Override
  public Future<Void> close() {
    return grpc.close();
  }
}
