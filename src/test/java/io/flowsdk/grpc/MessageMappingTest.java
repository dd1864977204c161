package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.Header;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageMappingTest {

  private static final FlowOrigin ORIGIN = new FlowOrigin("node-1", "grpc", "client-7");

  private static io.flowsdk.grpc.v1.FlowMessage.Builder proto(String topic) {
    return io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic(topic);
  }

  private static String invalid(io.flowsdk.grpc.v1.FlowMessage.Builder m, FlowError expected) {
    FlowException e = assertThrows(FlowException.class, () -> MessageMapping.toBus(m.build(), null, ORIGIN, 16));
    assertEquals(expected, e.error());
    return e.getMessage();
  }

  @Test
  void givenEveryField_whenToBusAndBack_thenEqual() {
    io.flowsdk.grpc.v1.FlowMessage in = proto("a/b")
      .setPayload(ByteString.copyFromUtf8("héllo"))
      .setContentType("text/plain")
      .addHeaders(Header.newBuilder().setName("k").setValue("1"))
      .addHeaders(Header.newBuilder().setName("k").setValue("2"))
      .setQosValue(2)
      .setRetain(true)
      .setMessageExpirySeconds((int) 4_000_000_000L) // uint32 on the wire: above Integer.MAX_VALUE
      .setPriority(0)
      .setResponseTopic("a/reply")
      .setCorrelationData(ByteString.copyFromUtf8("corr"))
      .setPayloadFormatValue(1)
      .build();

    FlowMessage bus = MessageMapping.toBus(in, null, ORIGIN, 16);
    assertEquals(QoS.EXACTLY_ONCE, bus.qos());
    assertEquals(4_000_000_000L, bus.messageExpiry().getAsLong(), "uint32 expiry above Integer.MAX_VALUE");
    assertEquals(0, bus.priority());
    assertEquals(PayloadFormat.UTF8, bus.payloadFormat());
    assertEquals(Buffer.buffer("corr"), bus.correlationData());
    assertEquals(ORIGIN, bus.origin());

    io.flowsdk.grpc.v1.FlowMessage out = MessageMapping.toProto(bus, bus.timestamp());
    assertEquals(in, out.toBuilder().clearOrigin().clearTimestampMillis().build());
    assertEquals("client-7", out.getOrigin().getClient());
    assertEquals(bus.timestamp(), out.getTimestampMillis());
  }

  @Test
  void givenDefaults_whenMapped_thenAbsentFieldsStayAbsent() {
    FlowMessage bus = MessageMapping.toBus(proto("a").build(), null, ORIGIN, 16);
    assertEquals(FlowMessage.DEFAULT_PRIORITY, bus.priority());
    assertFalse(bus.messageExpiry().isPresent());
    assertEquals(null, bus.contentType());
    assertEquals(null, bus.responseTopic());
    io.flowsdk.grpc.v1.FlowMessage out = MessageMapping.toProto(bus, bus.timestamp());
    assertFalse(out.hasMessageExpirySeconds());
    assertTrue(out.hasPriority());
  }

  @Test
  void givenEmptyTopicAndDefault_whenMapped_thenDefaultUsed() {
    assertEquals("svc/echo", MessageMapping.toBus(proto("").build(), "svc/echo", ORIGIN, 16).topic());
  }

  @Test
  void givenMalformedMessages_thenInvalidWithTheFieldNamed() {
    assertTrue(invalid(proto(""), FlowError.INVALID).contains("message.topic is empty"));
    assertTrue(invalid(proto("a/#"), FlowError.INVALID).contains("wildcard"));
    assertTrue(invalid(proto("a").setPayload(ByteString.copyFrom(new byte[17])), FlowError.TOO_LARGE).contains("maxPayloadBytes"));
    assertTrue(invalid(proto("a").setPayloadFormatValue(1).setPayload(ByteString.copyFrom(new byte[] {(byte) 0xFF})),
      FlowError.INVALID).contains("UTF-8"));
    assertTrue(invalid(proto("a").setPriority(256), FlowError.INVALID).contains("priority"));
    assertTrue(invalid(proto("a").setQosValue(3), FlowError.INVALID).contains("message.qos"));
    assertTrue(invalid(proto("a").setPayloadFormatValue(7), FlowError.INVALID).contains("payload_format"));
    assertTrue(invalid(proto("a").setResponseTopic("r/+"), FlowError.INVALID).contains("response_topic"));
  }
}
