package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowService;
import io.flowsdk.grpc.v1.IncomingRequest;
import io.flowsdk.grpc.v1.ServeRegistered;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeReply;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The server side of Serve: the client registers as the bus responder of an address and answers
 * the requests forwarded to it, matched by correlation id. Each request waits at most the
 * registration's timeout (capped by {@code serveTimeoutMillis}); at most {@code maxPendingRequests}
 * wait at once, further ones fail at once with {@link FlowError#OVERLOADED}. When the stream ends the
 * address is no longer served and waiting requesters get {@link FlowError#DISCONNECTED}.
 *
 * <p>Every request of a stream waits the same timeout, so they expire in the order they came: one
 * timer, set for the oldest waiting request, serves them all (a timer per request cost a timer
 * registration and a cancellation on every round trip).
 */
final class ServeStream {

  private final Call<ServeRequest, ServeResponse> call;
  /** Waiting requests by correlation id, oldest first. */
  private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
  private String address;
  private long timeoutMillis;
  private FlowService service;
  private long nextCorrelationId = 1;
  /** The timer for the oldest waiting request, or -1. */
  private long timerId = -1;

  private static final class Pending {
    final Promise<FlowMessage> answer = Promise.promise();
    final long deadlineNanos;

    Pending(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }
  }

  ServeStream(Call<ServeRequest, ServeResponse> call) {
    this.call = call;
    call.onRelease(this::release);
  }

  /** Returns the handler of the client's messages; the call ends OK when the client ends its side. */
  Handler<ServeRequest> start() {
    call.request.endHandler(v -> call.end());
    return this::onMessage;
  }

  private void onMessage(ServeRequest message) {
    if (message.hasRegister()) {
      register(message.getRegister());
    } else if (message.hasReply()) {
      reply(message.getReply());
    } else {
      throw new FlowException(FlowError.INVALID, "a ServeRequest needs 'register' or 'reply'");
    }
  }

  private void register(ServeRegistration registration) {
    if (address != null) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "this stream already serves '" + address
        + "'; 'register' comes once, first");
    }
    String problem = Topics.nameProblem(registration.getAddress());
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, "register.address: " + problem);
    }
    call.checkOutbound(registration.getAddress());
    address = registration.getAddress();
    long max = call.gateway.options.getServeTimeoutMillis();
    long asked = Integer.toUnsignedLong(registration.getTimeoutMillis());
    timeoutMillis = asked == 0 ? max : Math.min(asked, max);
    call.gateway.bus.serve(address, this::forward).onComplete(ar -> {
      if (ar.failed()) {
        call.fail(ar.cause());
      } else if (call.isDone()) {
        ar.result().close();
      } else {
        service = ar.result();
        call.write(ServeResponse.newBuilder()
          .setRegistered(ServeRegistered.newBuilder().setAddress(address))
          .build());
      }
    });
  }

  private Future<FlowMessage> forward(FlowMessage request) {
    if (call.isDone()) {
      return Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "the gRPC responder of '" + address + "' is gone"));
    }
    if (pending.size() >= call.gateway.options.getMaxPendingRequests()) {
      return Future.failedFuture(new FlowException(FlowError.OVERLOADED, "the gRPC responder of '" + address + "' has "
        + pending.size() + " unanswered requests (maxPendingRequests)"));
    }
    long id = nextCorrelationId++;
    Pending p = new Pending(System.nanoTime() + timeoutMillis * 1_000_000);
    pending.put(id, p);
    if (timerId < 0) {
      timerId = call.gateway.vertx.setTimer(timeoutMillis, t -> expire());
    }
    call.write(ServeResponse.newBuilder()
      .setRequest(IncomingRequest.newBuilder()
        .setCorrelationId(id)
        .setMessage(MessageMapping.toProto(request, System.currentTimeMillis()))
        .setTimeoutMillis((int) timeoutMillis))
      .build());
    return p.answer.future();
  }

  private void reply(ServeReply reply) {
    if (address == null) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "'reply' before 'register': register the address first");
    }
    Pending p = pending.remove(reply.getCorrelationId());
    if (p == null) {
      return; // answered too late (timed out) or twice: the requester has its outcome already
    }
    if (reply.hasFailure()) {
      p.answer.tryFail(new FlowException(GrpcStatusMapping.error(reply.getFailure()), reply.getFailure().getMessage()));
      return;
    }
    try {
      p.answer.tryComplete(MessageMapping.toBus(reply.getResponse(), address, call.origin,
        call.gateway.options.getMaxPayloadBytes()));
    } catch (FlowException invalid) {
      p.answer.tryFail(new FlowException(FlowError.INTERNAL, "the gRPC responder of '" + address
        + "' sent an invalid response: " + invalid.getMessage()));
    }
  }

  /** Fails the requests whose timeout has passed, then waits for the oldest of the others. */
  private void expire() {
    timerId = -1;
    long now = System.nanoTime();
    List<Pending> expired = new ArrayList<>();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      long leftNanos = p.deadlineNanos - now;
      if (leftNanos > 0) {
        timerId = call.gateway.vertx.setTimer(Math.max(1, (leftNanos + 999_999) / 1_000_000), t -> expire());
        break;
      }
      it.remove();
      expired.add(p);
    }
    for (Pending p : expired) {
      p.answer.tryFail(new FlowException(FlowError.TIMEOUT, "the gRPC responder of '" + address + "' did not answer in "
        + timeoutMillis + " ms"));
    }
  }

  private void release() {
    if (service != null) {
      service.close();
    }
    FlowException gone = new FlowException(FlowError.DISCONNECTED, "the gRPC responder of '" + address + "' went away");
    if (timerId >= 0) {
      call.gateway.vertx.cancelTimer(timerId);
      timerId = -1;
    }
    for (Pending p : pending.values()) {
      p.answer.tryFail(gone);
    }
    pending.clear();
  }
}
