package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.grpc.impl.GrpcStatusMapping;
import io.flowsdk.grpc.v1.Failure;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * The gateway's mapping between {@link FlowError}s and gRPC statuses, for code outside it: a gRPC
 * service served by the gateway (such as the queue's and the table's) ends a call with a failure the
 * way the gateway's own services do — the status of its {@code FlowError}, its message, and the
 * {@code flowsdk-error} trailer naming the error (reference {@code docs/grpc-gateway.md}) — and a
 * client of a gateway (the bus relay) reads a status or an in-stream failure back as a {@code FlowError}.
 */
public final class GrpcFailures {

  private GrpcFailures() {
  }

  /** Ends the call with the status of {@code failure}; does nothing when the response has already ended. */
  public static void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
    GrpcStatusMapping.fail(response, failure);
  }

  /** The {@link FlowError} a gateway means by {@code status} (the inverse of the mapping it fails calls with). */
  public static FlowError error(GrpcStatus status) {
    return GrpcStatusMapping.error(status);
  }

  /** The {@link FlowError} of an in-stream {@link Failure} (a refused publish's ack): its code, else its gRPC status's. */
  public static FlowError error(Failure failure) {
    return GrpcStatusMapping.error(failure);
  }
}
