package io.flowsdk.grpc.impl;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request that is not gRPC (no {@code application/grpc...} content type: a browser, curl,
 * a health probe speaking plain HTTP/1.1 or HTTP/2) with {@code 415} and a body saying what the port
 * speaks; vertx-grpc answers a bare 415.
 */
final class NotGrpcAnswer implements Handler<HttpServerRequest> {

  static final String BODY = "This port serves gRPC over HTTP/2 (content-type application/grpc), not plain HTTP:"
    + " use a gRPC client (h2c with prior knowledge, or TLS with ALPN h2). See docs/grpc-gateway.md.\n";

  private final Handler<HttpServerRequest> next;

  NotGrpcAnswer(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null && contentType.startsWith("application/grpc")) {
      next.handle(request);
      return;
    }
    request.response()
      .setStatusCode(415)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .end(BODY);
  }
}
