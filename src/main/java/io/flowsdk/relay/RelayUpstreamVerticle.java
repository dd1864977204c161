package io.flowsdk.relay;

import io.flowsdk.relay.impl.Http2Windows;
import io.flowsdk.relay.impl.RelayProtos;
import io.flowsdk.relay.impl.UpstreamService;
import io.flowsdk.util.WriteCoalescing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/**
 * The upstream side of the protocol relay: a gRPC server of {@code mqtt.MqttRelayService} whose every
 * stream becomes one MQTT connection to the configured broker. Configured by {@code config()}, the JSON
 * form of {@link RelayUpstreamOptions} (descriptor {@code verticles/relay-upstream.json}, docs/relay.md).
 * Several instances share the port; each relays the streams of the connections on its event loop.
 */
public class RelayUpstreamVerticle extends VerticleBase {

  private UpstreamService service;
  private HttpServer server;

  @Override
  public Future<?> start() {
    RelayUpstreamOptions options = new RelayUpstreamOptions(config());
    return RelayProtos.initialize(vertx).compose(v -> listen(options));
  }

  private Future<HttpServer> listen(RelayUpstreamOptions options) {
    service = new UpstreamService(vertx, options);
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(options.getMaxPacketSize() + 1024L));
    grpc.addService(service.service());
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())
      .setHttp2ConnectionWindowSize(Http2Windows.connectionWindow(options.getMaxSessions()))
      .setInitialSettings(Http2Windows.settings(options.getMaxSessions()));
    if (options.isTls()) {
      http.setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getTlsCertPath()).setKeyPath(options.getTlsKeyPath()))
        .setClientAuth(options.getClientAuth());
      if (options.getTlsClientCaPath() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(options.getTlsClientCaPath()));
      }
    }
    server = vertx.createHttpServer(http).connectionHandler(WriteCoalescing::install).requestHandler(grpc);
    return server.listen();
  }

  /** The port the gRPC server listens on (the chosen one when configured with 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return service.close().eventually(() -> server.close());
  }
}
