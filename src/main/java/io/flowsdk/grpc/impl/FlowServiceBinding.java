package io.flowsdk.grpc.impl;

import com.google.protobuf.Parser;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.FlowGrpcService;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeAckedResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.core.http.HttpHeaders;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Binds the methods of {@code flowsdk.v1.Flow} to their handlers. It uses the generated method
 * descriptors with raw {@link GrpcServerRequest}s rather than the generated service base class,
 * because the handlers need the call's metadata (token, client id), deadline and trailers, and
 * because the generated streaming forms drop a failed future instead of ending the call with a status.
 */
final class FlowServiceBinding {

  /** The methods {@link #service} binds, as the meters tag them. */
  static final Set<String> METHODS = Set.of("Publish", "PublishStream", "Subscribe", "SubscribeAcked", "Request", "Serve");

  private FlowServiceBinding() {
  }

  static Service service(GatewayContext gateway) {
    return Service.service(FlowGrpcService.SERVICE_NAME, FlowGrpcService.SERVICE_DESCRIPTOR)
      .bind(FlowGrpcService.Publish, request -> start(gateway, request, "Publish",
        call -> onSingleMessage(call, PublishRequest.parser(), message -> UnaryCalls.publish(call, message))))
      .bind(FlowGrpcService.PublishStream, request -> start(gateway, request, "PublishStream",
        call -> onMessages(call, PublishStreamRequest.parser(), new PublishStreamCall(call).start())))
      .bind(FlowGrpcService.Subscribe, request -> start(gateway, request, "Subscribe", call -> {
        SubscribeStream<SubscribeResponse> stream = new SubscribeStream<>(call, false,
          s -> SubscribeResponse.newBuilder().setSubscribed(s).build(),
          d -> SubscribeResponse.newBuilder().setDelivery(d).build(),
          b -> SubscribeResponse.newBuilder().setDeliveries(b).build());
        onSingleMessage(call, SubscribeRequest.parser(), stream::subscribe);
      }))
      .bind(FlowGrpcService.SubscribeAcked, request -> start(gateway, request, "SubscribeAcked", call -> {
        SubscribeStream<SubscribeAckedResponse> stream = new SubscribeStream<>(call, true,
          s -> SubscribeAckedResponse.newBuilder().setSubscribed(s).build(),
          d -> SubscribeAckedResponse.newBuilder().setDelivery(d).build(),
          b -> SubscribeAckedResponse.newBuilder().setDeliveries(b).build());
        onMessages(call, SubscribeAckedRequest.parser(), stream::onAckedRequest);
        request.endHandler(v -> call.end());
      }))
      .bind(FlowGrpcService.Request, request -> start(gateway, request, "Request",
        call -> onSingleMessage(call, RequestRequest.parser(), message -> UnaryCalls.request(call, message))))
      .bind(FlowGrpcService.Serve, request -> start(gateway, request, "Serve",
        call -> onMessages(call, ServeRequest.parser(), new ServeStream(call).start())))
      .build();
  }

  /** Authenticates the call, then hands it to {@code body}; an unknown caller gets UNAUTHENTICATED. */
  private static <Req, Resp> void start(GatewayContext gateway, GrpcServerRequest<Req, Resp> request, String method,
                                        Consumer<Call<Req, Resp>> body) {
    Permissions permissions;
    try {
      permissions = gateway.authenticator.authenticate(request.headers().get(HttpHeaders.AUTHORIZATION));
    } catch (FlowException e) {
      gateway.metrics.unauthenticated(method, GrpcStatusMapping.status(e));
      GrpcStatusMapping.fail(request.response(), e);
      return;
    }
    Call<Req, Resp> call = new Call<>(gateway, request, method, permissions);
    request.invalidMessageHandler(invalid -> call.fail(invalidMessage(invalid)));
    body.accept(call);
  }

  /** Like {@link #onMessages} for a method taking one request message; none at all is {@code INVALID_ARGUMENT}. */
  private static <Req> void onSingleMessage(Call<Req, ?> call, Parser<Req> parser, Handler<Req> handler) {
    boolean[] received = {false};
    onMessages(call, parser, message -> {
      received[0] = true;
      handler.handle(message);
    });
    call.request.endHandler(v -> {
      if (!received[0]) {
        call.fail(new FlowException(FlowError.INVALID, "the " + call.method + " call ended without its request message"));
      }
    });
  }

  /**
   * Decodes the call's messages here rather than in vertx-grpc, which answers an undecodable message
   * (such as a string field that is not UTF-8) by resetting the stream instead of with a status; and
   * ends the call with the status of anything {@code handler} throws.
   */
  private static <Req> void onMessages(Call<Req, ?> call, Parser<Req> parser, Handler<Req> handler) {
    call.request.messageHandler(raw -> {
      if (call.isDone()) {
        return;
      }
      Req message;
      try {
        message = parser.parseFrom(MessagePayloads.bytes(raw));
      } catch (IOException e) {
        call.fail(undecodable(call.method + " request", e));
        return;
      }
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        call.fail(e);
      }
    });
  }

  private static FlowException invalidMessage(InvalidMessageException invalid) {
    if (invalid instanceof MessageSizeOverflowException) {
      return new GrpcCallException(FlowError.TOO_LARGE, GrpcStatus.RESOURCE_EXHAUSTED, "a message of "
        + ((MessageSizeOverflowException) invalid).messageSize() + " bytes exceeds the gateway's maxMessageBytes");
    }
    return undecodable("flowsdk.v1 message", invalid.getCause() == null ? invalid : invalid.getCause());
  }

  /** {@code what} could not be decoded; protobuf's own message says why (bad wire type, invalid UTF-8, truncated, ...). */
  private static FlowException undecodable(String what, Throwable cause) {
    return new FlowException(FlowError.INVALID, "the " + what + " is not valid protobuf: " + cause.getMessage());
  }
}
