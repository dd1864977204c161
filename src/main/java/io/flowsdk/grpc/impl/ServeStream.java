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

import java.util.HashMap;
import java.util.Map;

/**
 * The server side of Serve: the client registers as the bus responder of an address and answers
 * the requests forwarded to it, matched by correlation id. Each request waits at most the
 * registration's timeout (capped by {@code serveTimeoutMillis}); at most {@code maxPendingRequests}
 * wait at once, further ones fail at once with {@link FlowError#OVERLOADED}. When the stream ends the
 * address is no longer served and waiting requesters get {@link FlowError#DISCONNECTED}.
 */
final class ServeStream {

  private final Call<ServeRequest, ServeResponse> call;
  private final Map<Long, Pending> pending = new HashMap<>();
  private String address;
  private long timeoutMillis;
  private FlowService service;
  private long nextCorrelationId = 1;

  private static final class Pending {
    final Promise<FlowMessage> answer = Promise.promise();
    long timerId;
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
    call.onCallContext(call.gateway.bus.serve(address, this::forward)).onComplete(ar -> {
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
    Pending p = new Pending();
    pending.put(id, p);
    p.timerId = call.gateway.vertx.setTimer(timeoutMillis, t -> {
      if (pending.remove(id) != null) {
        p.answer.tryFail(new FlowException(FlowError.TIMEOUT, "the gRPC responder of '" + address + "' did not answer in "
          + timeoutMillis + " ms"));
      }
    });
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
    call.gateway.vertx.cancelTimer(p.timerId);
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

  private void release() {
    if (service != null) {
      service.close();
    }
    FlowException gone = new FlowException(FlowError.DISCONNECTED, "the gRPC responder of '" + address + "' went away");
    for (Pending p : pending.values()) {
      call.gateway.vertx.cancelTimer(p.timerId);
      p.answer.tryFail(gone);
    }
    pending.clear();
  }
}
