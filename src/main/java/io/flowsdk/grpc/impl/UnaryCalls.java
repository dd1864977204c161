package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.grpc.MessageMapping;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.PublishResponse;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.RequestResponse;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;

import java.time.Duration;

/** The unary methods Publish and Request, and the publish step PublishStream shares. */
final class UnaryCalls {

  private UnaryCalls() {
  }

  static void publish(Call<PublishRequest, PublishResponse> call, PublishRequest request) {
    publish(call, request.hasMessage() ? request.getMessage() : null)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          call.reply(ar.result());
        } else {
          call.fail(ar.cause());
        }
      });
  }

  /** Validates, authorizes and publishes one proto message; fails with what was wrong. */
  static Future<PublishResponse> publish(Call<?, ?> call, io.flowsdk.grpc.v1.FlowMessage proto) {
    FlowMessage message;
    try {
      if (proto == null) {
        throw new FlowException(FlowError.INVALID, "message is missing");
      }
      message = MessageMapping.toBus(proto, null, call.origin, call.gateway.options.getMaxPayloadBytes());
      call.checkInbound(message.topic());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    call.gateway.metrics.published();
    return call.gateway.bus.publish(message).map(UnaryCalls::toProto);
  }

  /**
   * The reply to a publish. An acknowledged publish (QoS 1/2) that no subscriber took has no
   * subscribers even when a stale route sent it to a node ({@code nodes > 0}); at QoS 0
   * {@code subscribers} counts only this node's, so there only {@code nodes == 0} says none.
   */
  static PublishResponse toProto(PublishResult result) {
    return PublishResponse.newBuilder()
      .setNodes(result.nodes())
      .setSubscribers(result.subscribers())
      .setAcknowledged(result.acknowledged())
      .setNoSubscribers(result.noSubscribers() || result.acknowledged() && result.subscribers() == 0)
      .build();
  }

  /** Request: the gRPC deadline, or the gateway's default, is the bus timeout. */
  static void request(Call<RequestRequest, RequestResponse> call, RequestRequest request) {
    FlowMessage message;
    try {
      String address = request.getAddress();
      String problem = Topics.nameProblem(address);
      if (problem != null) {
        throw new FlowException(FlowError.INVALID, "address: " + problem);
      }
      message = MessageMapping.toBus(request.getMessage(), address, call.origin, call.gateway.options.getMaxPayloadBytes());
      call.checkInbound(address);
    } catch (RuntimeException e) {
      call.fail(e);
      return;
    }
    long deadline = call.request.timeout();
    long timeout = deadline > 0 ? deadline : call.gateway.options.getDefaultRequestTimeoutMillis();
    call.gateway.bus.request(request.getAddress(), message, Duration.ofMillis(timeout)).onComplete(ar -> {
      if (ar.succeeded()) {
        call.reply(RequestResponse.newBuilder()
          .setMessage(MessageMapping.toProto(ar.result(), System.currentTimeMillis()))
          .build());
      } else {
        call.fail(ar.cause());
      }
    });
  }
}
