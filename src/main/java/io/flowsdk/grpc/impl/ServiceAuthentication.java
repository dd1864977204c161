package io.flowsdk.grpc.impl;

import io.flowsdk.FlowException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.Set;

/**
 * Asks a bearer token of the calls to the services that are not {@code flowsdk.v1.Flow} (which
 * authenticates each call itself, for its permissions) when the gateway is configured to: health with
 * {@code authenticateHealth}, reflection with {@code authenticateReflection}. A missing or unknown
 * token is {@code UNAUTHENTICATED}, counted like the Flow service's.
 */
final class ServiceAuthentication implements Handler<HttpServerRequest> {

  private final Authenticator authenticator;
  private final Set<String> guarded;
  private final GatewayMetrics metrics;
  private final Handler<HttpServerRequest> next;

  ServiceAuthentication(Authenticator authenticator, Set<String> guarded, GatewayMetrics metrics,
                        Handler<HttpServerRequest> next) {
    this.authenticator = authenticator;
    this.guarded = guarded;
    this.metrics = metrics;
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (guarded.contains(serviceOf(request.path()))) {
      try {
        authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
      } catch (FlowException e) {
        metrics.unauthenticated();
        GrpcStatusMapping.refuse(request.response(), GrpcStatusMapping.status(e), e.error(), e.getMessage());
        return;
      }
    }
    next.handle(request);
  }

  /** The service of a gRPC path {@code /package.Service/Method}, or "" for another path. */
  static String serviceOf(String path) {
    int end = path == null ? -1 : path.indexOf('/', 1);
    return path == null || !path.startsWith("/") || end < 0 ? "" : path.substring(1, end);
  }
}
