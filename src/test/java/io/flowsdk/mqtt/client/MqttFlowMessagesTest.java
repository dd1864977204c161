package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MqttFlowMessagesTest {

  @Test
  void givenAnInboundMessage_whenMappedToTheBusAndBack_thenEveryPropertySurvives() {
    InboundMessage in = new InboundMessage("plant/a/temp", Buffer.buffer("21.5"), QoS.EXACTLY_ONCE, true, false, 60,
      "text/plain", "reply/a", Buffer.buffer("corr"), PayloadFormat.UTF8, List.of(new FlowHeader("unit", "C")), List.of(3));

    FlowMessage bus = MqttFlowMessages.toFlowMessage(in, "bus/plant/a/temp", new FlowOrigin("n1", "mqtt-client", "c1"));
    PublishRequest out = MqttFlowMessages.toPublishRequest(bus.toBuilder().priority(9).build(), "plant/a/temp");

    assertEquals("bus/plant/a/temp", bus.topic());
    assertEquals(QoS.EXACTLY_ONCE, bus.qos());
    assertEquals("C", bus.header("unit"));
    assertEquals("plant/a/temp", out.topic());
    assertEquals("21.5", out.payload().toString());
    assertEquals(QoS.EXACTLY_ONCE, out.qos());
    assertEquals(true, out.retain());
    assertEquals(60, out.messageExpirySeconds());
    assertEquals("text/plain", out.contentType());
    assertEquals("reply/a", out.responseTopic());
    assertEquals("corr", out.correlationData().toString());
    assertEquals(PayloadFormat.UTF8, out.payloadFormat());
    assertEquals(List.of(new FlowHeader("unit", "C")), out.userProperties());
    assertEquals(9, out.priority());
  }

  @Test
  void givenAPriorityOutside0To255_whenBuildingAFlowMessageOrAPublishRequest_thenBothRefuseItTheSameWay() {
    for (int priority : new int[] {-1, 256}) {
      FlowException bus = assertThrows(FlowException.class, () -> FlowMessage.builder("a").priority(priority));
      FlowException mqtt = assertThrows(FlowException.class, () -> PublishRequest.builder("a").priority(priority));

      assertEquals(FlowError.INVALID, bus.error());
      assertEquals(FlowError.INVALID, mqtt.error());
      assertEquals("priority must be 0..255, not " + priority, bus.getMessage());
      assertEquals(bus.getMessage(), mqtt.getMessage());
    }
  }
}
