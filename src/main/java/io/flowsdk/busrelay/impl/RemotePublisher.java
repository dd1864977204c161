package io.flowsdk.busrelay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.busrelay.impl.RelayMeters.Direction;
import io.flowsdk.busrelay.impl.RelayMeters.DropReason;
import io.flowsdk.grpc.GrpcFailures;
import io.flowsdk.grpc.MessageMapping;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.flowsdk.util.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbound half of the gRPC relay: one PublishStream to the remote gateway, fed in order from the
 * {@link ForwardBuffer}. At most the gateway's credit is unacknowledged; each message's promise
 * completes with the gateway's ack (QoS 1/2: every subscriber in the remote cluster took it) or fails
 * with the error the gateway gave. When the stream breaks, the unacknowledged messages go back to the
 * front of the buffer, in order, and are sent again after a reconnect with {@link Backoff} (so QoS 1
 * may deliver one twice, never lose one). A refused stream (bad token) is logged, counted and retried
 * with the same backoff. Everything runs on the relay's context.
 */
final class RemotePublisher {

  private static final Logger log = LoggerFactory.getLogger(RemotePublisher.class);

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;
  private final String authorization;
  private final ForwardBuffer buffer;
  private final Backoff backoff;
  private final RelayMeters meters;
  private final StreamFailures failures;
  private final String relay;
  private final Map<Long, Outgoing> inflight = new LinkedHashMap<>();
  private GrpcClientRequest<PublishStreamRequest, PublishStreamResponse> stream;
  private boolean opening;
  private boolean connected;
  private boolean closed;
  /** Before the gateway's first credit one message goes out: the stream's headers leave with it. */
  private int window = 1;
  private long nextSequence = 1;
  private int attempt;
  private long reconnectTimer = -1;

  RemotePublisher(Vertx vertx, GrpcClient client, SocketAddress address, String token, ForwardBuffer buffer, Backoff backoff,
                  RelayMeters meters, StreamFailures failures, String relay) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.authorization = token == null ? null : "Bearer " + token;
    this.buffer = buffer;
    this.backoff = backoff;
    this.meters = meters;
    this.failures = failures;
    this.relay = relay;
    meters.buffer(buffer::size, buffer::bytes);
  }

  /**
   * Queues {@code message} for the remote. The future completes when the gateway acknowledged it
   * (QoS 1/2) or at once (QoS 0), and fails with {@code OVERLOADED} when the overflow policy drops it,
   * or with the gateway's error when the remote refused it.
   */
  Future<Void> send(FlowMessage message) {
    Outgoing item = new Outgoing(message, Promise.promise());
    if (!connected) {
      meters.waited();
    }
    for (Outgoing dropped : buffer.offer(item)) {
      meters.dropped(DropReason.OVERFLOW);
      dropped.acked().tryFail(new FlowException(FlowError.OVERLOADED, "the relay '" + relay + "' buffer is full ("
        + buffer.size() + " messages, " + buffer.bytes() + " bytes) while the remote at " + address
        + (connected ? " is slow" : " is unreachable") + ": dropped the message on '" + dropped.message().topic() + "'"));
    }
    pump();
    Future<Void> acked = item.acked().future();
    return message.qos() == QoS.AT_MOST_ONCE ? Future.succeededFuture() : acked;
  }

  private void pump() {
    if (closed) {
      return;
    }
    if (stream == null) {
      if (!opening && reconnectTimer < 0 && !buffer.isEmpty()) {
        open();
      }
      return;
    }
    while (inflight.size() < window && !buffer.isEmpty()) {
      Outgoing item = buffer.poll();
      long sequence = nextSequence++;
      inflight.put(sequence, item);
      stream.write(PublishStreamRequest.newBuilder().setSequence(sequence)
        .setMessage(MessageMapping.toProto(item.message(), System.currentTimeMillis())).build());
    }
  }

  private void open() {
    opening = true;
    client.request(address, FlowGrpcClient.PublishStream).onComplete(ar -> {
      opening = false;
      if (ar.failed()) {
        lost(null, ar.cause());
        return;
      }
      GrpcClientRequest<PublishStreamRequest, PublishStreamResponse> request = ar.result();
      if (closed) {
        request.cancel();
        return;
      }
      if (authorization != null) {
        request.headers().set("authorization", authorization);
      }
      stream = request;
      window = 1;
      request.exceptionHandler(e -> lost(request, e));
      request.response().onComplete(rar -> {
        if (rar.failed()) {
          lost(request, rar.cause());
          return;
        }
        GrpcClientResponse<PublishStreamRequest, PublishStreamResponse> response = rar.result();
        response.handler(r -> onResponse(request, r));
        response.exceptionHandler(e -> lost(request, e));
        response.endHandler(v -> lost(request, failures.ended(response, "stream")));
      });
      pump();
    });
  }


  private void onResponse(GrpcClientRequest<?, ?> request, PublishStreamResponse response) {
    if (request != stream) {
      return;
    }
    if (response.hasCredit()) {
      window = Math.max(1, response.getCredit().getMessages());
      if (!connected) {
        connected = true;
        attempt = 0;
        meters.connected(true);
      }
    } else if (response.hasAck()) {
      settle(response.getAck());
    }
    pump();
  }

  private void settle(PublishAck ack) {
    Outgoing item = inflight.remove(ack.getSequence());
    if (item == null) {
      return;
    }
    if (ack.hasFailure()) {
      FlowError error = GrpcFailures.error(ack.getFailure());
      meters.failed(Direction.OUTBOUND, error);
      item.acked().tryFail(new FlowException(error, "the remote cluster at " + address + " refused the message on '"
        + item.message().topic() + "': " + ack.getFailure().getMessage()));
    } else {
      meters.forwarded(Direction.OUTBOUND, item.message().qos());
      item.acked().tryComplete();
    }
  }

  /** The stream {@code request} (null: none yet) broke: take back what was not acknowledged and reconnect later. */
  private void lost(GrpcClientRequest<?, ?> request, Throwable cause) {
    if (request != stream || closed) {
      return;
    }
    FlowException why = request == null ? failures.notOpened(cause) : failures.broke(cause);
    stream = null;
    if (connected) {
      connected = false;
      meters.connected(false);
    }
    List<Outgoing> unacknowledged = new ArrayList<>(inflight.values());
    inflight.clear();
    for (int i = unacknowledged.size() - 1; i >= 0; i--) {
      buffer.addFirst(unacknowledged.get(i));
    }
    long delay = backoff.delay(++attempt);
    log.warn("bus relay '" + relay + "': the stream to " + address + " is down (" + why.getMessage() + "); "
      + buffer.size() + " messages wait, next attempt in " + delay + " ms");
    reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> {
      reconnectTimer = -1;
      pump();
    });
  }

  /** Ends the stream and fails whatever was not acknowledged with {@code CANCELLED}. */
  void close() {
    closed = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (stream != null) {
      stream.cancel();
      stream = null;
    }
    List<Outgoing> pending = new ArrayList<>(inflight.values());
    inflight.clear();
    pending.addAll(buffer.drain());
    FlowException cancelled = new FlowException(FlowError.CANCELLED, "the relay '" + relay + "' was stopped");
    pending.forEach(o -> o.acked().tryFail(cancelled));
    meters.connected(false);
    meters.close();
  }
}
