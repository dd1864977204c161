package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.io.IOException;

/**
 * One {@code ServerReflectionInfo} call: answers every question the client sends on the stream, in
 * order, and ends OK when the client ends its side. A client that does not read its answers pauses the
 * stream once the response's write queue is full, so it holds at most that queue. A message that is not
 * a {@code ServerReflectionRequest} ends the call with {@code INVALID_ARGUMENT} (decoded here: vertx-grpc
 * would reset the stream instead); a reset by the client just stops the answering.
 */
final class ReflectionStream {

  private final GrpcServerRequest<?, ServerReflectionResponse> request;
  private final GrpcServerResponse<?, ServerReflectionResponse> response;
  private final ReflectionAnswers answers;
  private boolean done;

  private ReflectionStream(GrpcServerRequest<?, ServerReflectionResponse> request, ReflectionAnswers answers) {
    this.request = request;
    this.response = request.response();
    this.answers = answers;
  }

  static void start(GrpcServerRequest<?, ServerReflectionResponse> request, ReflectionAnswers answers) {
    ReflectionStream stream = new ReflectionStream(request, answers);
    request.messageHandler(stream::onMessage);
    request.endHandler(v -> stream.end());
    request.invalidMessageHandler(invalid -> stream.fail("not a valid ServerReflectionRequest: " + invalid.getMessage()));
    request.exceptionHandler(failure -> stream.done = true);
    stream.response.exceptionHandler(failure -> stream.done = true);
    stream.response.drainHandler(v -> request.resume());
  }

  private void onMessage(GrpcMessage message) {
    if (done) {
      return;
    }
    ServerReflectionRequest question;
    try {
      question = ServerReflectionRequest.parseFrom(MessagePayloads.bytes(message));
    } catch (IOException e) {
      fail("not a valid ServerReflectionRequest: " + e.getMessage());
      return;
    }
    response.write(answers.answer(question));
    if (response.writeQueueFull()) {
      request.pause();
    }
  }

  private void end() {
    if (!done) {
      done = true;
      response.end();
    }
  }

  private void fail(String message) {
    if (!done) {
      done = true;
      GrpcStatusMapping.fail(response, new FlowException(FlowError.INVALID, message));
    }
  }
}
