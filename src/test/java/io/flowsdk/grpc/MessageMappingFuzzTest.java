package io.flowsdk.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target: the gRPC message mapping on any protobuf bytes a client may send. A message the parser accepts maps to
 * a bus message or fails with {@link FlowError#INVALID} or {@link FlowError#TOO_LARGE}, never anything else; a bus
 * message it gives maps back to the proto and to the same bus message again.
 */
class MessageMappingFuzzTest {

  private static final FlowOrigin ORIGIN = new FlowOrigin("node", "grpc", "fuzz");

  @FuzzTest
  void givenAnyProtobufBytes_whenMappedToTheBus_thenAnInvalidErrorOrAMessageThatMapsBack(byte[] data) {
    io.flowsdk.grpc.v1.FlowMessage proto;
    try {
      proto = io.flowsdk.grpc.v1.FlowMessage.parseFrom(data);
    } catch (InvalidProtocolBufferException notAMessage) {
      return;
    }
    FlowMessage bus;
    try {
      bus = MessageMapping.toBus(proto, "default/topic", ORIGIN, 1 << 16);
    } catch (FlowException e) {
      assertTrue(e.error() == FlowError.INVALID || e.error() == FlowError.TOO_LARGE, e::getMessage);
      return;
    }
    FlowMessage again = MessageMapping.toBus(MessageMapping.toProto(bus, bus.timestamp()), null, ORIGIN, 1 << 16);

    assertEquals(withoutTimestamp(bus), withoutTimestamp(again));
  }

  /** The proto form, less the timestamp the gateway stamps on every message it maps. */
  private static io.flowsdk.grpc.v1.FlowMessage withoutTimestamp(FlowMessage m) {
    return MessageMapping.toProto(m, m.timestamp()).toBuilder().clearTimestampMillis().build();
  }
}
