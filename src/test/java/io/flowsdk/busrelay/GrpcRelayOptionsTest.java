package io.flowsdk.busrelay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.config.BackoffOptions;
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
      .setOverflowPolicy(OverflowPolicy.DROP_NEWEST).setReconnect(new BackoffOptions(5, 50, 0.1));

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
  void givenAJitterAboveOne_whenRead_thenInvalidNamesTheReconnectOption() {
    FlowException e = assertThrows(FlowException.class,
      () -> new GrpcRelayOptions(new JsonObject().put("reconnect", new JsonObject().put("jitter", 1.5))));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("option 'jitter' of GrpcRelayOptions.reconnect must be 0..1, not 1.5", e.getMessage());
  }

  @Test
  void givenTheOldFlatReconnectKeys_whenRead_thenInvalidSaysWhereTheyMoved() {
    FlowException old = assertThrows(FlowException.class,
      () -> new GrpcRelayOptions(new JsonObject().put("reconnectJitter", 0.1)));
    assertEquals(FlowError.INVALID, old.error());
    assertEquals("option 'reconnectJitter' of GrpcRelayOptions moved to 'reconnect.jitter'", old.getMessage());
  }

  @Test
  void givenAPartialReconnect_whenRead_thenTheRestKeepsTheRelayDefaults() {
    GrpcRelayOptions o = new GrpcRelayOptions(new JsonObject().put("reconnect", new JsonObject().put("initialMillis", 50)));
    assertEquals(50, o.getReconnect().getInitialMillis());
    assertEquals(GrpcRelayOptions.DEFAULT_RECONNECT_MAX_DELAY_MILLIS, o.getReconnect().getMaxMillis());
    assertEquals(GrpcRelayOptions.DEFAULT_RECONNECT_JITTER, o.getReconnect().getJitter());
  }
}
