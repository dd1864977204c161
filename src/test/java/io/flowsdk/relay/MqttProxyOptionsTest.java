package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.security.PasswordHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MqttProxyOptionsTest {

  @Test
  void givenChangedProxyOptions_whenWrittenAndReadBack_thenTheyAreEqual() {
    MqttProxyOptions o = new MqttProxyOptions().setName("p")
      .setListeners(List.of(new MqttListenerOptions().setPort(0).setAllowAnonymous(false)))
      .setBrokers(List.of(new UpstreamAddressOptions("a", 1), new UpstreamAddressOptions("b", 2)))
      .setVirtualNodes(7).setBrokerRetry(new BackoffOptions(3, 30, 0.1)).setBrokerTls(true).setBrokerTlsCaPath("ca")
      .setConnectTimeoutMillis(5).setBrokerConnectTimeoutMillis(6).setSlowClientTimeoutMillis(8).setMaxSessions(9)
      .setMaxPacketSize(2048).addUser(new MqttUserOptions().setUsername("u").setPasswordHash(PasswordHash.hash("p", PasswordHash.MIN_ITERATIONS)))
      .addAclRule(new MqttAclRuleOptions().setUser("u").addTopic("t/#")).setPublishRatePerSecond(10).setPublishBurst(11)
      .setPublishBytesPerSecond(12).setPublishBytesBurst(13);
    assertEquals(o.toJson(), new MqttProxyOptions(o).toJson());
    assertEquals(o.toJson(), new MqttProxyOptions(o.toJson()).toJson());
  }

  @Test
  void givenABrokerWithoutPort_whenRead_thenItIsTheDefaultBrokerPort() {
    MqttProxyOptions o = new MqttProxyOptions(new JsonObject().put("brokers", new JsonArray().add(new JsonObject().put("host", "b"))));
    assertEquals("b:1884", o.getBrokers().get(0).toString());
    assertEquals("localhost:1884", new MqttProxyOptions().getBrokers().get(0).toString());
  }

  @Test
  void givenNoBrokersABrokerTwiceOrAQuicListener_whenRead_thenInvalidWithWhatIsWrong() {
    FlowException none = assertThrows(FlowException.class, () -> new MqttProxyOptions(new JsonObject().put("brokers", new JsonArray())));
    assertEquals("option 'brokers' of MqttProxyOptions needs at least one broker", none.getMessage());
    FlowException twice = assertThrows(FlowException.class, () -> new MqttProxyOptions()
      .setBrokers(List.of(new UpstreamAddressOptions("a", 1), new UpstreamAddressOptions("a", 1))));
    assertEquals(FlowError.INVALID, twice.error());
    assertEquals("option 'brokers' of MqttProxyOptions names a broker twice: [a:1, a:1]", twice.getMessage());
    FlowException quic = assertThrows(FlowException.class, () -> new MqttProxyOptions()
      .setListeners(List.of(new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC))));
    assertEquals("option 'listeners' of MqttProxyOptions takes TCP and WEBSOCKET listeners; an MQTT edge serves no QUIC",
      quic.getMessage());
  }

  @Test
  void givenTheOldFlatRetryKeys_whenRead_thenInvalidSaysWhereTheyMoved() {
    FlowException old = assertThrows(FlowException.class,
      () -> new MqttProxyOptions(new JsonObject().put("brokerRetryMaxMillis", 60_000)));
    assertEquals(FlowError.INVALID, old.error());
    assertEquals("option 'brokerRetryMaxMillis' of MqttProxyOptions moved to 'brokerRetry.maxMillis'", old.getMessage());
  }

  @Test
  void givenAPartialBrokerRetry_whenRead_thenTheRestKeepsTheProxyDefaults() {
    MqttProxyOptions o = new MqttProxyOptions(new JsonObject().put("brokerRetry", new JsonObject().put("initialMillis", 200)));
    assertEquals(200, o.getBrokerRetry().getInitialMillis());
    assertEquals(MqttProxyOptions.DEFAULT_BROKER_RETRY_MAX_MILLIS, o.getBrokerRetry().getMaxMillis());
    assertEquals(MqttProxyOptions.DEFAULT_BROKER_RETRY_JITTER, o.getBrokerRetry().getJitter());
  }
}
