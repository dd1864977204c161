package io.flowsdk.grpc.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * Hands the gRPC server each request with its body cut at message boundaries ({@link MessageBoundaries}),
 * so that vertx-grpc's deframer copies nothing; everything else about the request is Vert.x's own.
 */
final class OneMessagePerChunk implements Handler<HttpServerRequest> {

  private final Handler<HttpServerRequest> grpc;

  OneMessagePerChunk(Handler<HttpServerRequest> grpc) {
    this.grpc = grpc;
  }

  @Override
  public void handle(HttpServerRequest request) {
    grpc.handle(request instanceof HttpServerRequestInternal ? new Cut((HttpServerRequestInternal) request) : request);
  }

  private static final class Cut extends HttpServerRequestWrapper {

    Cut(HttpServerRequestInternal delegate) {
      super(delegate);
    }

    @Override
    public HttpServerRequest handler(Handler<Buffer> handler) {
      delegate.handler(handler == null ? null : new MessageBoundaries(handler));
      return this;
    }
  }
}
