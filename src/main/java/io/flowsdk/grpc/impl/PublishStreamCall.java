package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.Credit;
import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.vertx.core.Handler;

/**
 * The server side of PublishStream: grants the configured window as credit, publishes each message
 * and acknowledges it by sequence once the bus took it (for QoS 1/2: once every target node
 * acknowledged). A client that exceeds its credit is ended with {@code RESOURCE_EXHAUSTED}; the call
 * ends OK after the client half-closed and every message was acknowledged.
 */
final class PublishStreamCall {

  private final Call<PublishStreamRequest, PublishStreamResponse> call;
  private final int window;
  private int inflight;
  private boolean clientEnded;

  PublishStreamCall(Call<PublishStreamRequest, PublishStreamResponse> call) {
    this.call = call;
    this.window = call.gateway.options.getPublishWindow();
  }

  /** Grants the initial credit and returns the handler of the client's messages. */
  Handler<PublishStreamRequest> start() {
    call.request.endHandler(v -> {
      clientEnded = true;
      endIfIdle();
    });
    call.write(PublishStreamResponse.newBuilder()
      .setCredit(Credit.newBuilder().setMessages(window))
      .build());
    return this::onMessage;
  }

  private void onMessage(PublishStreamRequest request) {
    if (inflight >= window) {
      call.fail(new FlowException(FlowError.OVERLOADED, "sequence " + request.getSequence() + " exceeds the credit of "
        + window + " unacknowledged messages; wait for acks before sending more"));
      return;
    }
    inflight++;
    long sequence = request.getSequence();
    UnaryCalls.publish(call, request.hasMessage() ? request.getMessage() : null).onComplete(ar -> {
      inflight--;
      PublishAck.Builder ack = PublishAck.newBuilder().setSequence(sequence);
      if (ar.succeeded()) {
        ack.setPublished(ar.result());
      } else {
        ack.setFailure(GrpcStatusMapping.failure(ar.cause()));
      }
      call.write(PublishStreamResponse.newBuilder().setAck(ack).build());
      endIfIdle();
    });
  }

  private void endIfIdle() {
    if (clientEnded && inflight == 0) {
      call.end();
    }
  }
}
