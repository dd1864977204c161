package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * Admits at most {@code maxConcurrentStreams} calls per HTTP/2 connection and answers one more with
 * {@code RESOURCE_EXHAUSTED} (counted), instead of leaving it queued in the client: the gateway
 * advertises {@link #advertisedStreams} in its HTTP/2 SETTINGS, so calls over the limit reach it.
 * A stream opened beyond the advertised value is refused by HTTP/2 itself ({@code REFUSED_STREAM}).
 *
 * <p>Every connection of one gateway server is handled on the server's context, so the counts need no lock.
 */
final class CallAdmission implements Handler<HttpServerRequest> {

  private final int maxConcurrentStreams;
  private final GatewayMetrics metrics;
  private final Handler<HttpServerRequest> next;
  private final Map<HttpConnection, Integer> active = new HashMap<>();

  CallAdmission(int maxConcurrentStreams, GatewayMetrics metrics, Handler<HttpServerRequest> next) {
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.metrics = metrics;
    this.next = next;
  }

  /** The HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS} to advertise: room for the calls to refuse. */
  static long advertisedStreams(int maxConcurrentStreams) {
    return 2L * maxConcurrentStreams;
  }

  @Override
  public void handle(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    int calls = active.getOrDefault(connection, 0);
    if (calls >= maxConcurrentStreams) {
      metrics.refused("maxConcurrentStreams");
      GrpcStatusMapping.refuse(request.response(), GrpcStatus.RESOURCE_EXHAUSTED, FlowError.OVERLOADED,
        "this connection already has " + calls + " calls in progress, the gateway's maxConcurrentStreams;"
          + " wait for one to end or open another connection");
      return;
    }
    active.put(connection, calls + 1);
    request.response().endHandler(v -> active.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1));
    next.handle(request);
  }
}
