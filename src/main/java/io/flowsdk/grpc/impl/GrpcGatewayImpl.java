package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.grpc.GrpcGateway;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.util.WriteCoalescing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Wires the HTTP/2 server, the gRPC server and its services; the calls themselves live in their own classes. */
public final class GrpcGatewayImpl implements GrpcGateway {

  /**
   * The HTTP/2 connection window the gateway grants each client: what it may have sent and the gateway not
   * yet read, over all its calls. grpc-java's server and channel use 1 MiB; at HTTP/2's 64 KiB a client with
   * a few hundred calls in flight stalls on it, and each time the window opens again Netty checks, and
   * Vert.x wakes, every stream of the connection.
   */
  static final int CONNECTION_WINDOW_BYTES = 1 << 20;

  private final HttpServer server;
  private final GatewayHealth health;

  private GrpcGatewayImpl(HttpServer server, GatewayHealth health) {
    this.server = server;
    this.health = health;
  }

  public static Future<GrpcGateway> start(Vertx vertx, GrpcGatewayOptions options, List<Service> services) {
    HttpServerOptions httpOptions;
    try {
      httpOptions = httpOptions(options);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    return FlowBus.create(vertx).compose(bus -> {
      GatewayMetrics metrics = new GatewayMetrics(FlowMetrics.registry(vertx), options.getHost() + ":" + options.getPort(),
        FlowServiceBinding.METHODS);
      GatewayContext gateway = new GatewayContext(vertx, bus, options, metrics);
      GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(options.getMaxMessageBytes()));
      grpc.addService(FlowServiceBinding.service(gateway));
      Set<String> guarded = new HashSet<>();
      for (Service service : services) {
        grpc.addService(service);
        guarded.add(service.name().fullyQualifiedName());
      }
      GatewayHealth health = new GatewayHealth(vertx);
      grpc.addService(health);
      if (options.isAuthenticateHealth()) {
        guarded.add(health.name().fullyQualifiedName());
      }
      if (options.isReflection()) {
        for (Service reflection : List.of(ServerReflectionService.v1(), ServerReflectionService.v1alpha())) {
          grpc.addService(reflection);
          if (options.isAuthenticateReflection()) {
            guarded.add(reflection.name().fullyQualifiedName());
          }
        }
      }
      HttpServer server = vertx.createHttpServer(httpOptions)
        .connectionHandler(WriteCoalescing::install)
        .requestHandler(new NotGrpcAnswer(new ConnectionLimits(vertx, options.getMaxConcurrentStreams(),
          options.getIdleTimeoutMillis(), metrics, new ServiceAuthentication(gateway.authenticator, guarded, metrics, new OneMessagePerChunk(grpc)))));
      return server.listen().map(s -> new GrpcGatewayImpl(s, health));
    });
  }

  private static HttpServerOptions httpOptions(GrpcGatewayOptions options) {
    HttpServerOptions http = new HttpServerOptions()
      .setHost(options.getHost())
      .setPort(options.getPort())
      .setIdleTimeout((int) options.getRequestHeaderTimeoutMillis())
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES)
      .setInitialSettings(new Http2Settings()
        .setMaxConcurrentStreams(ConnectionLimits.advertisedStreams(options.getMaxConcurrentStreams())));
    if (options.isTls()) {
      if (options.getTlsCertPath() == null || options.getTlsKeyPath() == null) {
        throw new FlowException(FlowError.INVALID, "GrpcGatewayOptions 'tls' needs 'tlsCertPath' and 'tlsKeyPath'");
      }
      http.setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getTlsCertPath()).setKeyPath(options.getTlsKeyPath()))
        .setClientAuth(options.getClientAuth());
      if (options.getTlsClientCaPath() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(options.getTlsClientCaPath()));
      }
    }
    return http;
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<Void> close() {
    health.closing();
    return server.close();
  }
}
