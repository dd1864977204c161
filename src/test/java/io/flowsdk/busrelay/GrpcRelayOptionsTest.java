package io.flowsdk.busrelay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcRelayOptionsTest {

  @Test
  void givenEveryOptionSet_whenWrittenAndReadBack_thenTheJsonIsTheSame() {
    GrpcRelayOptions options = new GrpcRelayOptions().setName("r").setCluster("a").setRemoteCluster("b").setHost("h")
      .setPort(1234).setToken("t").addOutbound(new TopicMapping("dc/site/#", "site/#"))
      .addInbound(new TopicMapping("dc/cmd/#", "cmd/#")).setBufferMaxMessages(7).setBufferMaxBytes(99)
      .setOverflowPolicy(OverflowPolicy.DROP_NEWEST).setReconnectInitialDelayMillis(5).setReconnectMaxDelayMillis(50)
      .setReconnectJitter(0.1);

    assertEquals(options.toJson(), new GrpcRelayOptions(options.toJson()).toJson());
  }

  @Test
  void givenAnUnknownKey_whenRead_thenInvalidNamesIt() {
    FlowException e = assertThrows(FlowException.class, () -> new GrpcRelayOptions(new JsonObject().put("hots", "x")));
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("hots"), e.getMessage());
  }

  @Test
  void givenAMappingWhoseWildcardsDiffer_whenAdded_thenInvalid() {
    FlowException e = assertThrows(FlowException.class,
      () -> new GrpcRelayOptions().addOutbound(new TopicMapping("dc/+/x", "site/#")));
    assertEquals(FlowError.INVALID, e.error());
  }

  @Test
  void givenAJitterAboveOne_whenSet_thenInvalid() {
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> new GrpcRelayOptions().setReconnectJitter(1.5))
      .error());
  }
}
