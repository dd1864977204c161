package io.flowsdk.middleware;

import io.flowsdk.grpc.GrpcFailures;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServerRequest;

import java.util.function.Function;

/** How the middleware's gRPC services (queue, table) answer a unary call. */
public final class GrpcCalls {

  private GrpcCalls() {
  }

  /**
   * Answers the call's one message with {@code handler}'s result, or ends it with the status of its
   * failure, the message and the {@code flowsdk-error} trailer; an exception thrown is a failure too.
   */
  public static <Req, Resp> void unary(GrpcServerRequest<Req, Resp> request, Function<Req, Future<Resp>> handler) {
    request.handler(message -> {
      Future<Resp> result;
      try {
        result = handler.apply(message);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          request.response().end(ar.result());
        } else {
          GrpcFailures.fail(request.response(), ar.cause());
        }
      });
    });
  }
}
