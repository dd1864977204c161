package io.flowsdk.mqtt.bridge;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.bridge.impl.Bridge;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttBridgeOptionsTest {

  @Test
  void givenEveryOptionSet_whenWrittenAndReadBack_thenNothingChanges() {
    MqttBridgeOptions options = new MqttBridgeOptions().setName("b1")
      .setClient(new MqttClientOptions().setHost("broker").setPort(8883).setSsl(true).setUsername("u"))
      .addInbound(new TopicMapping("site1/#", "plant/site1/#").setQos(QoS.EXACTLY_ONCE))
      .addOutbound(new TopicMapping("site1/cmd/#", "plant/site1/cmd/#").setQos(QoS.AT_MOST_ONCE))
      .addInboundRequest(new RequestMapping("svc/#", "svc"))
      .addOutboundRequest(new RequestMapping("svc/calc", "calc").setQos(QoS.EXACTLY_ONCE))
      .setResponseTopicPrefix("replies").setRequestTimeoutMillis(500).setMaxPendingRequests(7)
      .setOutboundMaxInflight(3).setOutboundBufferSize(9).setOutboundOverflowPolicy(OverflowPolicy.DROP_NEWEST)
      .setInboundRetryMaxAttempts(2).setInboundRetryInitialDelayMillis(5).setInboundRetryMaxDelayMillis(50)
      .setInboundFailurePolicy(InboundFailurePolicy.REJECT);
    JsonObject json = options.toJson();
    assertEquals(json, new MqttBridgeOptions(json).toJson());
    assertEquals(json, new MqttBridgeOptions(options).toJson());
    assertEquals(8883, new MqttBridgeOptions(json).getClient().getPort());
    assertEquals(QoS.EXACTLY_ONCE, new MqttBridgeOptions(json).getInbound().get(0).getQos());
  }

  @Test
  void givenUnknownKeysAtAnyLevel_thenReadingFailsNamingThem() {
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class,
      () -> new MqttBridgeOptions(new JsonObject().put("inbund", new JsonArray()))).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> new MqttBridgeOptions(new JsonObject()
      .put("inbound", new JsonArray().add(new JsonObject().put("broker", "a/#").put("bus", "b/#").put("qso", 1))))).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> new MqttBridgeOptions(new JsonObject()
      .put("client", new JsonObject().put("hots", "x")))).error());
  }

  @Test
  void givenAMappingWhoseFiltersDoNotRewrite_thenReadingFails() {
    FlowException e = assertThrows(FlowException.class, () -> new MqttBridgeOptions(new JsonObject()
      .put("outbound", new JsonArray().add(new JsonObject().put("broker", "a/+").put("bus", "b/#")))));
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("outbound mapping"), e.getMessage());
  }

  @Test
  void givenOverlappingInboundFilters_thenMqtt311IsRefusedNamingThemAndMqtt5IsNot() {
    MqttBridgeOptions v311 = new MqttBridgeOptions().setClient(new MqttClientOptions().setVersion(MqttVersion.V3_1_1))
      .addInbound(new TopicMapping("site/#", "all/#")).addInbound(new TopicMapping("site/+/alarm", "alarms/+/alarm"));
    FlowException e = assertThrows(FlowException.class, () -> Bridge.validate(v311));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("the inbound filters 'site/#' and 'site/+/alarm' overlap and MQTT 3.1.1 has no subscription identifiers, "
      + "so the bridge cannot tell which mapping a message is for; make them disjoint", e.getMessage());

    Bridge.validate(new MqttBridgeOptions(v311).setClient(new MqttClientOptions().setVersion(MqttVersion.V5)));
    Bridge.validate(new MqttBridgeOptions().setClient(new MqttClientOptions().setVersion(MqttVersion.V3_1_1))
      .addInbound(new TopicMapping("site/a/#", "a/#")).addInbound(new TopicMapping("site/b/#", "b/#")));
  }

  @Test
  void givenTheSameInboundFilterTwice_thenEveryVersionRefusesIt() {
    MqttBridgeOptions twice = new MqttBridgeOptions()
      .addInbound(new TopicMapping("site/#", "a/#")).addInbound(new TopicMapping("site/#", "b/#"));
    FlowException e = assertThrows(FlowException.class, () -> Bridge.validate(twice));
    assertTrue(e.getMessage().startsWith("the inbound filter 'site/#' is mapped twice"), e.getMessage());
  }

  @Test
  void givenMqtt311_thenRequestMappingsRejectPolicyAndSelfOverlappingMappingsAreRefused() {
    MqttBridgeOptions requests = new MqttBridgeOptions().setClient(new MqttClientOptions().setVersion(MqttVersion.V3_1_1))
      .addOutboundRequest(new RequestMapping("svc/x", "x"));
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> Bridge.validate(requests)).error());

    MqttBridgeOptions loop = new MqttBridgeOptions().setClient(new MqttClientOptions().setVersion(MqttVersion.V3_1_1))
      .addInbound(new TopicMapping("a/#", "bus/a/#")).addOutbound(new TopicMapping("a/out/#", "bus/out/#"));
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> Bridge.validate(loop)).error());

    MqttBridgeOptions reject = new MqttBridgeOptions().setClient(new MqttClientOptions().setVersion(MqttVersion.V3_1_1))
      .setInboundFailurePolicy(InboundFailurePolicy.REJECT);
    FlowException rejectOn311 = assertThrows(FlowException.class, () -> Bridge.validate(reject));
    assertEquals("inboundFailurePolicy REJECT needs MQTT 5 (MQTT 3.1.1 has no negative acknowledgement); use REDELIVER "
      + "with a persistent session", rejectOn311.getMessage());

    MqttBridgeOptions v5 = new MqttBridgeOptions(loop).setClient(new MqttClientOptions().setVersion(MqttVersion.V5));
    Bridge.validate(v5); // No Local keeps the bridge's own publishes away

    MqttBridgeOptions shared = new MqttBridgeOptions().addInbound(new TopicMapping("$share/g/a/#", "bus/a/#"))
      .addOutbound(new TopicMapping("a/out/#", "bus/out/#"));
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> Bridge.validate(shared)).error());
  }
}
