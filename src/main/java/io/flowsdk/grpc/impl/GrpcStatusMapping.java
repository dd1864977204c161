package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.Failure;
import io.flowsdk.grpc.v1.FlowErrorCode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.impl.Utils;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * The one place where FlowSDK errors and gRPC statuses meet: {@link FlowError} to status, status to
 * {@link FlowError}, and a failed call or an in-stream {@link Failure} from any failure.
 */
public final class GrpcStatusMapping {

  /** Trailer naming the {@link FlowError} of a failed call, for callers to tell causes apart. */
  public static final String ERROR_TRAILER = "flowsdk-error";

  private GrpcStatusMapping() {
  }

  /** The status a call fails with for {@code error}. */
  public static GrpcStatus status(FlowError error) {
    switch (error) {
      case TIMEOUT:
        return GrpcStatus.DEADLINE_EXCEEDED;
      case NO_ROUTE:
      case DISCONNECTED:
        return GrpcStatus.UNAVAILABLE;
      case OVERLOADED:
        return GrpcStatus.RESOURCE_EXHAUSTED;
      case NOT_AUTHORIZED:
        return GrpcStatus.PERMISSION_DENIED;
      case PROTOCOL_ERROR:
        return GrpcStatus.FAILED_PRECONDITION;
      case TOO_LARGE:
      case INVALID:
        return GrpcStatus.INVALID_ARGUMENT;
      case CANCELLED:
        return GrpcStatus.CANCELLED;
      case REFUSED:
        return GrpcStatus.ABORTED;
      case NOT_FOUND:
        return GrpcStatus.NOT_FOUND;
      default:
        return GrpcStatus.INTERNAL;
    }
  }

  /** The status of {@code failure}: its own when it carries one, else the one of its {@link FlowError}. */
  public static GrpcStatus status(FlowException failure) {
    return failure instanceof GrpcCallException ? ((GrpcCallException) failure).status() : status(failure.error());
  }

  /** The {@link FlowError} closest to a gRPC status (for statuses that no FlowError maps to). */
  public static FlowError error(GrpcStatus status) {
    switch (status) {
      case DEADLINE_EXCEEDED:
        return FlowError.TIMEOUT;
      case NOT_FOUND:
        return FlowError.NOT_FOUND;
      case UNAVAILABLE:
        return FlowError.NO_ROUTE;
      case RESOURCE_EXHAUSTED:
        return FlowError.OVERLOADED;
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return FlowError.NOT_AUTHORIZED;
      case FAILED_PRECONDITION:
        return FlowError.PROTOCOL_ERROR;
      case INVALID_ARGUMENT:
      case OUT_OF_RANGE:
        return FlowError.INVALID;
      case CANCELLED:
        return FlowError.CANCELLED;
      case ABORTED:
      case ALREADY_EXISTS:
        return FlowError.REFUSED;
      default:
        return FlowError.INTERNAL;
    }
  }

  /** The proto code of {@code error} (same number). */
  public static FlowErrorCode code(FlowError error) {
    return FlowErrorCode.forNumber(error.number());
  }

  /**
   * The {@link FlowError} of an in-stream {@link Failure} sent by a client: its code, or when the code
   * is unset or unknown, the one of its gRPC status.
   */
  public static FlowError error(Failure failure) {
    FlowError byCode = FlowError.fromFailureCode(FlowError.FAILURE_CODE_BASE + failure.getCodeValue());
    if (byCode != null) {
      return byCode;
    }
    return error(GrpcStatus.valueOf(failure.getGrpcStatus()));
  }

  /** An in-stream {@link Failure} describing {@code failure}. */
  public static Failure failure(Throwable failure) {
    FlowException e = FlowException.from(failure);
    return Failure.newBuilder()
      .setCode(code(e.error()))
      .setGrpcStatus(status(e).code)
      .setMessage(String.valueOf(e.getMessage()))
      .build();
  }

  /**
   * Ends the call with the status of {@code failure}, its message, and the {@link #ERROR_TRAILER}.
   * Does nothing when the response has already ended.
   */
  public static void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
    FlowException e = FlowException.from(failure);
    try {
      response.trailers().set(ERROR_TRAILER, e.error().name());
      response.status(status(e)).statusMessage(String.valueOf(e.getMessage())).end();
    } catch (IllegalStateException alreadyEnded) {
      // the stream was reset or ended meanwhile: there is nobody left to tell
    }
  }

  /**
   * Answers an HTTP/2 request refused before it becomes a gRPC call with a trailers-only response:
   * {@code status}, {@code message} and the {@link #ERROR_TRAILER} naming {@code error}.
   */
  static void refuse(HttpServerResponse response, GrpcStatus status, FlowError error, String message) {
    response.putHeader("content-type", "application/grpc")
      .putHeader("grpc-status", String.valueOf(status.code))
      .putHeader("grpc-message", Utils.utf8PercentEncode(message))
      .putHeader(ERROR_TRAILER, error.name())
      .end();
  }
}
