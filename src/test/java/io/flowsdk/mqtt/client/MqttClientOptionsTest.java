package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MqttClientOptionsTest {

  @Test
  void givenDefaults_whenWrittenAndReadBack_thenTheJsonIsTheSame() {
    JsonObject json = new MqttClientOptions().toJson();

    assertEquals(json, new MqttClientOptions(json).toJson());
    assertEquals(json, new MqttClientOptions(new MqttClientOptions()).toJson());
  }

  @Test
  void givenEveryOptionChanged_whenWrittenAndReadBack_thenNothingIsLost() {
    MqttClientOptions o = new MqttClientOptions().setHost("h").setPort(8883).setVersion(MqttVersion.V3_1_1)
      .setClientId("c").setCleanStart(false).setKeepAliveSeconds(5).setSessionExpiryIntervalSeconds(9)
      .setReceiveMaximum(3).setMaximumPacketSize(1000).setTopicAliasMaximum(2).setOutboundTopicAliasMaximum(1)
      .setRequestResponseInformation(true).setRequestProblemInformation(false).setUsername("u").setPassword("p")
      .setUserProperties(new JsonObject().put("a", "b")).setWill(new MqttWill().setTopic("w").setQos(2))
      .setTimeoutPreset(TimeoutPreset.SATELLITE).setAckTimeoutMillis(1234).setReconnect(false).setRetryFirstConnect(true)
      .setReconnectInitialDelayMillis(7).setReconnectMaxDelayMillis(70).setReconnectMaxAttempts(3).setReconnectJitter(0.1)
      .setOfflineBufferMaxMessages(5).setOfflineBufferMaxBytes(50).setOfflineBufferDropPolicy(OfflineDropPolicy.DROP_NEWEST)
      .setTransport(MqttTransport.WEBSOCKET).setWebSocketPath("/ws").setSsl(true).setTrustAll(true).setCaCertPath("ca").setCertPath("crt").setKeyPath("key").setVerifyHost(false);

    MqttClientOptions back = new MqttClientOptions(o.toJson());

    assertEquals(o.toJson(), back.toJson());
    assertEquals(120_000, back.getConnectTimeoutMillis(), "from the preset");
    assertEquals(1234, back.getAckTimeoutMillis(), "set by hand after the preset");
  }

  @Test
  void givenAPreset_whenApplied_thenAllThreeTimeoutsFollowIt() {
    MqttClientOptions o = new MqttClientOptions().setTimeoutPreset(TimeoutPreset.LOCAL);

    assertEquals(5_000, o.getConnectTimeoutMillis());
    assertEquals(3_000, o.getAckTimeoutMillis());
    assertEquals(2_000, o.getPingTimeoutMillis());
  }

  @Test
  void givenAnUnknownKeyOrABadValue_whenRead_thenInvalid() {
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class,
      () -> new MqttClientOptions(new JsonObject().put("hots", "x"))).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class,
      () -> new MqttClientOptions(new JsonObject().put("port", 70000))).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class,
      () -> new MqttClientOptions(new JsonObject().put("will", new JsonObject().put("qos", 3)))).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class,
      () -> new MqttClientOptions(new JsonObject().put("version", "V4"))).error());
  }
}
