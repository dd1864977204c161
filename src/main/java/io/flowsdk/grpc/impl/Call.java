package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowOrigin;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * One gRPC call in progress: who calls (permissions, origin), how it ends, and what must be released
 * when it ends for any reason (success, failure, client cancel, connection loss). Lives on the
 * call's event loop only.
 */
final class Call<Req, Resp> {

  /** Metadata naming the client for no-local; defaults to the connection's remote address. */
  static final String CLIENT_ID_HEADER = "flowsdk-client-id";

  final GatewayContext gateway;
  final GrpcServerRequest<Req, Resp> request;
  final String method;
  final Permissions permissions;
  final FlowOrigin origin;
  private final List<Runnable> releases = new ArrayList<>(2);
  private boolean done;

  Call(GatewayContext gateway, GrpcServerRequest<Req, Resp> request, String method, Permissions permissions) {
    this.gateway = gateway;
    this.request = request;
    this.method = method;
    this.permissions = permissions;
    String clientId = request.headers().get(CLIENT_ID_HEADER);
    if (clientId == null || clientId.isEmpty()) {
      clientId = String.valueOf(request.connection().remoteAddress());
    }
    this.origin = new FlowOrigin(gateway.bus.nodeId(), "grpc", clientId);
    gateway.metrics.callStarted(method);
    request.exceptionHandler(failure -> aborted());
    request.errorHandler(error -> aborted());
    request.response().exceptionHandler(failure -> aborted());
  }

  GrpcServerResponse<Req, Resp> response() {
    return request.response();
  }

  boolean isDone() {
    return done;
  }

  /** Runs {@code release} once when the call ends; at once when it has already ended. */
  void onRelease(Runnable release) {
    if (done) {
      release.run();
    } else {
      releases.add(release);
    }
  }

  /** Writes one message of a streaming response. */
  Future<Void> write(Resp message) {
    return done ? Future.failedFuture(new FlowException(FlowError.CANCELLED, "call ended")) : response().write(message);
  }

  /** Ends a unary call with its response. */
  void reply(Resp message) {
    if (finish(GrpcStatus.OK)) {
      response().end(message);
    }
  }

  /** Ends a streaming call with OK. */
  void end() {
    if (finish(GrpcStatus.OK)) {
      response().end();
    }
  }

  /** Ends the call with the status of {@code failure}. */
  void fail(Throwable failure) {
    FlowException e = FlowException.from(failure);
    if (finish(GrpcStatusMapping.status(e))) {
      GrpcStatusMapping.fail(response(), e);
    }
  }

  /** Fails (and counts the denial) unless the caller may publish or send requests to {@code topic}. */
  void checkInbound(String topic) {
    try {
      permissions.checkInbound(topic);
    } catch (FlowException denied) {
      gateway.metrics.denied(method);
      throw denied;
    }
  }

  /** Fails (and counts the denial) unless the caller may subscribe to or serve {@code filter}. */
  void checkOutbound(String filter) {
    try {
      permissions.checkOutbound(filter);
    } catch (FlowException denied) {
      gateway.metrics.denied(method);
      throw denied;
    }
  }

  /** The client cancelled, reset the stream or lost the connection. */
  private void aborted() {
    finish(GrpcStatus.CANCELLED);
  }

  private boolean finish(GrpcStatus status) {
    if (done) {
      return false;
    }
    done = true;
    gateway.metrics.callEnded(method, status);
    for (Runnable release : releases) {
      release.run();
    }
    releases.clear();
    return true;
  }
}
