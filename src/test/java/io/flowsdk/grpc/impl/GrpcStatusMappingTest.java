package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.Failure;
import io.flowsdk.grpc.v1.FlowErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrpcStatusMappingTest {

  @Test
  void givenEveryFlowError_thenItsStatusIsTheDocumentedOne() {
    Map<FlowError, GrpcStatus> expected = new EnumMap<>(FlowError.class);
    expected.put(FlowError.TIMEOUT, GrpcStatus.DEADLINE_EXCEEDED);
    expected.put(FlowError.NO_ROUTE, GrpcStatus.UNAVAILABLE);
    expected.put(FlowError.OVERLOADED, GrpcStatus.RESOURCE_EXHAUSTED);
    expected.put(FlowError.NOT_AUTHORIZED, GrpcStatus.PERMISSION_DENIED);
    expected.put(FlowError.DISCONNECTED, GrpcStatus.UNAVAILABLE);
    expected.put(FlowError.PROTOCOL_ERROR, GrpcStatus.FAILED_PRECONDITION);
    expected.put(FlowError.TOO_LARGE, GrpcStatus.INVALID_ARGUMENT);
    expected.put(FlowError.INVALID, GrpcStatus.INVALID_ARGUMENT);
    expected.put(FlowError.CANCELLED, GrpcStatus.CANCELLED);
    expected.put(FlowError.REFUSED, GrpcStatus.ABORTED);
    expected.put(FlowError.INTERNAL, GrpcStatus.INTERNAL);
    expected.put(FlowError.NOT_FOUND, GrpcStatus.NOT_FOUND);
    for (FlowError e : FlowError.values()) {
      assertEquals(expected.get(e), GrpcStatusMapping.status(e), e.name());
      assertEquals(e.number(), GrpcStatusMapping.code(e).getNumber(), "proto code of " + e);
    }
  }

  @Test
  void givenStatusesOfFlowErrors_whenMappedBack_thenSameErrorOrItsSibling() {
    for (FlowError e : FlowError.values()) {
      FlowError back = GrpcStatusMapping.error(GrpcStatusMapping.status(e));
      assertEquals(GrpcStatusMapping.status(e), GrpcStatusMapping.status(back), e + " -> " + back);
    }
    assertEquals(FlowError.NOT_AUTHORIZED, GrpcStatusMapping.error(GrpcStatus.UNAUTHENTICATED));
    assertEquals(FlowError.INTERNAL, GrpcStatusMapping.error(GrpcStatus.UNKNOWN));
  }

  @Test
  void givenCallException_thenItsOwnStatusWins() {
    assertEquals(GrpcStatus.UNAUTHENTICATED, GrpcStatusMapping.status(
      new GrpcCallException(FlowError.NOT_AUTHORIZED, GrpcStatus.UNAUTHENTICATED, "who are you")));
  }

  @Test
  void givenClientFailure_whenCodeUnset_thenGrpcStatusDecides() {
    assertEquals(FlowError.REFUSED, GrpcStatusMapping.error(Failure.newBuilder()
      .setCode(FlowErrorCode.FLOW_ERROR_CODE_REFUSED).build()));
    assertEquals(FlowError.TIMEOUT, GrpcStatusMapping.error(Failure.newBuilder()
      .setGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED.code).build()));
  }

  @Test
  void givenBusFailure_whenMadeAStreamFailure_thenCodeStatusAndMessage() {
    Failure f = GrpcStatusMapping.failure(new ReplyException(ReplyFailure.NO_HANDLERS, "nobody"));
    assertEquals(FlowErrorCode.FLOW_ERROR_CODE_NO_ROUTE, f.getCode());
    assertEquals(GrpcStatus.UNAVAILABLE.code, f.getGrpcStatus());
    assertEquals("nobody", f.getMessage());
    assertEquals(FlowErrorCode.FLOW_ERROR_CODE_INVALID,
      GrpcStatusMapping.failure(new FlowException(FlowError.INVALID, "x")).getCode());
  }
}
