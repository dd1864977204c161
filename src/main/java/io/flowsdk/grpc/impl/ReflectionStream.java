package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * One {@code ServerReflectionInfo} call: answers every question the client sends on the stream, in
 * order, and ends OK when the client ends its side. A client that does not read its answers pauses the
 * stream once the response's write queue is full, so it holds at most that queue. A message that does not
 * decode ends the call with {@code INVALID_ARGUMENT}; a reset by the client just stops the answering.
 */
final class ReflectionStream {

  private final GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> request;
  private final GrpcServerResponse<ServerReflectionRequest, ServerReflectionResponse> response;
  private final ReflectionAnswers answers;
  private boolean done;

  private ReflectionStream(GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> request, ReflectionAnswers answers) {
    this.request = request;
    this.response = request.response();
    this.answers = answers;
  }

  static void start(GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> request, ReflectionAnswers answers) {
    ReflectionStream stream = new ReflectionStream(request, answers);
    request.handler(stream::onQuestion);
    request.endHandler(v -> stream.end());
    request.invalidMessageHandler(invalid -> stream.fail(new FlowException(FlowError.INVALID,
      "not a valid ServerReflectionRequest: " + invalid.getMessage())));
    request.exceptionHandler(failure -> stream.done = true);
    stream.response.exceptionHandler(failure -> stream.done = true);
    stream.response.drainHandler(v -> request.resume());
  }

  private void onQuestion(ServerReflectionRequest question) {
    if (done) {
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

  private void fail(FlowException failure) {
    if (!done) {
      done = true;
      GrpcStatusMapping.fail(response, failure);
    }
  }
}
