package io.flowsdk.grpc;

import io.flowsdk.grpc.impl.GrpcStatusMapping;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * How a gRPC service served by the gateway (such as the queue's and the table's) ends a call with a
 * failure, the way the gateway's own services do: the status of its {@code FlowError}, its message,
 * and the {@code flowsdk-error} trailer naming the error (reference {@code docs/grpc-gateway.md}).
 */
public final class GrpcFailures {

  private GrpcFailures() {
  }

  /** Ends the call with the status of {@code failure}; does nothing when the response has already ended. */
  public static void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
    GrpcStatusMapping.fail(response, failure);
  }
}
