package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A gateway failure whose gRPC status is not the default one of its {@link FlowError}, such as
 * {@code UNAUTHENTICATED} (a {@link FlowError#NOT_AUTHORIZED} that is not {@code PERMISSION_DENIED}).
 */
public final class GrpcCallException extends FlowException {

  private final GrpcStatus status;

  public GrpcCallException(FlowError error, GrpcStatus status, String message) {
    super(error, message);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }
}
