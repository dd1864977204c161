package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowService;
import io.flowsdk.grpc.MessageMapping;
import io.flowsdk.grpc.v1.IncomingRequest;
import io.flowsdk.grpc.v1.ServeRegistered;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeReply;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.flowsdk.topic.Topics;
import io.flowsdk.util.PendingReplies;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * The server side of Serve: the client registers as the bus responder of an address and answers
 * the requests forwarded to it, matched by correlation id. Each request waits at most the
 * registration's timeout (capped by {@code serveTimeoutMillis}); at most {@code maxPendingRequests}
 * wait at once, further ones fail at once with {@link FlowError#OVERLOADED}. When the stream ends the
 * address is no longer served and waiting requesters get {@link FlowError#DISCONNECTED}.
 */
final class ServeStream {

  private final Call<ServeRequest, ServeResponse> call;
  /** Requests waiting for the client's reply, by correlation id; made at registration. */
  private PendingReplies<FlowMessage> pending;
  private String address;
  private long timeoutMillis;
  private FlowService service;

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
    pending = new PendingReplies<>(call.gateway.vertx, timeoutMillis);
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
    PendingReplies.Waiting<FlowMessage> waiting = pending.add(this::unanswered);
    call.write(ServeResponse.newBuilder()
      .setRequest(IncomingRequest.newBuilder()
        .setCorrelationId(waiting.id())
        .setMessage(MessageMapping.toProto(request, System.currentTimeMillis()))
        .setTimeoutMillis((int) timeoutMillis))
      .build());
    return waiting.reply();
  }

  private void reply(ServeReply reply) {
    if (address == null) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "'reply' before 'register': register the address first");
    }
    // a reply that comes too late (timed out) or twice finds nothing waiting: the requester has its outcome already
    pending.complete(reply.getCorrelationId(), outcomeOf(reply));
  }

  private Future<FlowMessage> outcomeOf(ServeReply reply) {
    if (reply.hasFailure()) {
      return Future.failedFuture(new FlowException(GrpcStatusMapping.error(reply.getFailure()), reply.getFailure().getMessage()));
    }
    try {
      return Future.succeededFuture(MessageMapping.toBus(reply.getResponse(), address, call.origin,
        call.gateway.options.getMaxPayloadBytes()));
    } catch (FlowException invalid) {
      return Future.failedFuture(new FlowException(FlowError.INTERNAL, "the gRPC responder of '" + address
        + "' sent an invalid response: " + invalid.getMessage()));
    }
  }

  private FlowException unanswered() {
    return new FlowException(FlowError.TIMEOUT, "the gRPC responder of '" + address + "' did not answer in " + timeoutMillis + " ms");
  }

  private void release() {
    if (service != null) {
      service.close();
    }
    if (pending != null) {
      pending.failAll(new FlowException(FlowError.DISCONNECTED, "the gRPC responder of '" + address + "' went away"));
    }
  }
}
