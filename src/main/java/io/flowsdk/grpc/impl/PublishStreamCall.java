package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.Credit;
import io.flowsdk.grpc.v1.FlowMessage;
import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishResponse;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * The server side of PublishStream: grants the configured window as credit, publishes each message
 * and acknowledges it by sequence once the bus took it (for QoS 1/2: once every target node
 * acknowledged). A client that exceeds its credit is ended with {@code RESOURCE_EXHAUSTED}; the call
 * ends OK after the client half-closed and every message was acknowledged.
 *
 * <p>Messages sent in batches ({@code messages}) are acknowledged in batches too: the outcomes known
 * by the end of the event-loop turn go out as one {@code acks} response of sequence ranges.
 */
final class PublishStreamCall {

  private final Call<PublishStreamRequest, PublishStreamResponse> call;
  private final int window;
  private final BatchAcks batchAcks = new BatchAcks();
  private Context context;
  private boolean acksScheduled;
  private int inflight;
  private boolean clientEnded;

  PublishStreamCall(Call<PublishStreamRequest, PublishStreamResponse> call) {
    this.call = call;
    this.window = call.gateway.options.getPublishWindow();
  }

  /** Grants the initial credit and returns the handler of the client's messages. */
  Handler<PublishStreamRequest> start() {
    context = Vertx.currentContext();
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
    int batch = request.getMessagesCount();
    if (batch == 0) {
      publish(request.getSequence(), request.hasMessage() ? request.getMessage() : null, false);
      return;
    }
    if (request.hasMessage()) {
      throw new FlowException(FlowError.INVALID, "sequence " + request.getSequence()
        + " sets both 'message' and 'messages': send one message or a batch");
    }
    for (int i = 0; i < batch && !call.isDone(); i++) {
      publish(request.getSequence() + i, request.getMessages(i), true);
    }
  }

  private void publish(long sequence, FlowMessage message, boolean batched) {
    if (inflight >= window) {
      call.fail(new FlowException(FlowError.OVERLOADED, "sequence " + sequence + " exceeds the credit of "
        + window + " unacknowledged messages; wait for acks before sending more"));
      return;
    }
    inflight++;
    UnaryCalls.publish(call, message).onComplete(ar -> {
      inflight--;
      if (batched) {
        gather(sequence, ar);
      } else {
        call.write(PublishStreamResponse.newBuilder().setAck(ack(sequence, ar)).build());
        endIfIdle();
      }
    });
  }

  private static PublishAck ack(long sequence, AsyncResult<PublishResponse> outcome) {
    PublishAck.Builder ack = PublishAck.newBuilder().setSequence(sequence);
    if (outcome.succeeded()) {
      ack.setPublished(outcome.result());
    } else {
      ack.setFailure(GrpcStatusMapping.failure(outcome.cause()));
    }
    return ack.build();
  }

  /** Keeps a batched message's outcome for the {@code acks} sent at the end of this event-loop turn. */
  private void gather(long sequence, AsyncResult<PublishResponse> outcome) {
    if (outcome.succeeded()) {
      batchAcks.published(sequence);
    } else {
      batchAcks.failed(ack(sequence, outcome));
    }
    if (!acksScheduled) {
      acksScheduled = true;
      context.runOnContext(v -> {
        acksScheduled = false;
        sendBatchAcks();
        endIfIdle();
      });
    }
  }

  private void sendBatchAcks() {
    if (!batchAcks.isEmpty()) {
      call.write(PublishStreamResponse.newBuilder().setAcks(batchAcks.take()).build());
    }
  }

  private void endIfIdle() {
    if (clientEnded && inflight == 0) {
      sendBatchAcks();
      call.end();
    }
  }
}
