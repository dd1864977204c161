package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.grpc.common.GrpcStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * What one client connection may make the gateway hold, in front of the gRPC server:
 * <ul>
 * <li>at most {@code maxConcurrentStreams} calls; one more is answered {@code RESOURCE_EXHAUSTED}
 * (counted) instead of waiting in the client: {@link #advertisedStreams} is what the HTTP/2 SETTINGS
 * advertise, so those calls reach the gateway, and HTTP/2 refuses streams beyond it;</li>
 * <li>until its first call, the socket may be quiet at most {@code requestHeaderTimeoutMillis}: Vert.x's
 * idle timeout (set to that value) closes a connection that sends nothing or stops half-way through its
 * preface or headers; it is removed at the first call, because a call may be quiet for long;</li>
 * <li>after that, a connection with no call in progress for {@code idleTimeoutMillis} is closed (counted).</li>
 * </ul>
 * Every connection of one gateway server is handled on the server's context, so the state needs no lock.
 */
final class ConnectionLimits implements Handler<HttpServerRequest> {

  /** The name Vert.x gives the Netty handler of its idle timeout. */
  private static final String VERTX_IDLE_HANDLER = "idle";
  /** The {@code limit} of {@code flowsdk_grpc_refused_total} this counts. */
  static final String MAX_CONCURRENT_STREAMS = "maxConcurrentStreams";
  /** The {@code reason} of {@code flowsdk_grpc_connections_closed_total} this counts. */
  static final String IDLE_TIMEOUT = "idleTimeout";

  private final Vertx vertx;
  private final int maxConcurrentStreams;
  private final long idleTimeoutMillis;
  private final GatewayMetrics metrics;
  private final Handler<HttpServerRequest> next;
  private final Map<HttpConnection, Calls> connections = new HashMap<>();

  /** The calls in progress on one connection, and its idle timer while it has none. */
  private static final class Calls {
    int active;
    long idleTimer = -1;
  }

  ConnectionLimits(Vertx vertx, int maxConcurrentStreams, long idleTimeoutMillis, GatewayMetrics metrics,
                   Handler<HttpServerRequest> next) {
    this.vertx = vertx;
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.idleTimeoutMillis = idleTimeoutMillis;
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
    Calls calls = connections.computeIfAbsent(connection, this::firstCall);
    if (calls.active >= maxConcurrentStreams) {
      metrics.refused(MAX_CONCURRENT_STREAMS);
      GrpcStatusMapping.refuse(request.response(), GrpcStatus.RESOURCE_EXHAUSTED, FlowError.OVERLOADED,
        "this connection already has " + calls.active + " calls in progress, the gateway's maxConcurrentStreams;"
          + " wait for one to end or open another connection");
      return;
    }
    calls.active++;
    if (calls.idleTimer >= 0) {
      vertx.cancelTimer(calls.idleTimer);
      calls.idleTimer = -1;
    }
    request.response().endHandler(v -> ended(connection, calls));
    next.handle(request);
  }

  private Calls firstCall(HttpConnection connection) {
    ChannelPipeline pipeline = ((ConnectionBase) connection).channel().pipeline();
    if (pipeline.get(VERTX_IDLE_HANDLER) != null) {
      pipeline.remove(VERTX_IDLE_HANDLER);
    }
    connection.closeHandler(v -> {
      Calls calls = connections.remove(connection);
      if (calls != null && calls.idleTimer >= 0) {
        vertx.cancelTimer(calls.idleTimer);
      }
    });
    return new Calls();
  }

  private void ended(HttpConnection connection, Calls calls) {
    if (--calls.active == 0 && connections.get(connection) == calls) {
      calls.idleTimer = vertx.setTimer(idleTimeoutMillis, t -> {
        calls.idleTimer = -1;
        metrics.connectionClosed(IDLE_TIMEOUT);
        connection.close();
      });
    }
  }
}
