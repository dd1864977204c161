package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.ConnectReason;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttAuthenticator;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.MqttWill;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.client.impl.Harness.connAck;
import static io.flowsdk.mqtt.client.impl.Harness.props;
import static io.flowsdk.mqtt.client.impl.Harness.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONNECT contents, CONNACK capabilities and refusals, connect timeout, enhanced authentication. */
class ClientSessionConnectTest {

  @Test
  void givenFullOptions_whenOpened_thenConnectCarriesEveryOption() {
    MqttClientOptions o = new MqttClientOptions().setClientId("c1").setCleanStart(false).setKeepAliveSeconds(30)
      .setSessionExpiryIntervalSeconds(600).setReceiveMaximum(50).setMaximumPacketSize(4096).setTopicAliasMaximum(7)
      .setRequestResponseInformation(true).setRequestProblemInformation(false).setUsername("u").setPassword("p")
      .setUserProperties(new JsonObject().put("site", "a"))
      .setWill(new MqttWill().setTopic("dead/c1").setPayload("gone").setQos(1).setRetain(true).setDelayIntervalSeconds(5)
        .setMessageExpirySeconds(60).setContentType("text/plain").setPayloadUtf8(true));
    Harness h = new Harness(o);

    h.open();

    MqttConnectMessage c = (MqttConnectMessage) h.sink.only(MqttMessageType.CONNECT);
    assertEquals(5, c.variableHeader().version());
    assertFalse(c.variableHeader().isCleanSession());
    assertEquals(30, c.variableHeader().keepAliveTimeSeconds());
    MqttProperties p = c.variableHeader().properties();
    assertEquals(600, MqttProps.integer(p, MqttProperties.SESSION_EXPIRY_INTERVAL));
    assertEquals(50, MqttProps.integer(p, MqttProperties.RECEIVE_MAXIMUM));
    assertEquals(4096, MqttProps.integer(p, MqttProperties.MAXIMUM_PACKET_SIZE));
    assertEquals(7, MqttProps.integer(p, MqttProperties.TOPIC_ALIAS_MAXIMUM));
    assertEquals(1, MqttProps.integer(p, MqttProperties.REQUEST_RESPONSE_INFORMATION));
    assertEquals(0, MqttProps.integer(p, MqttProperties.REQUEST_PROBLEM_INFORMATION));
    assertEquals("site", MqttProps.userProperties(p).get(0).name());
    assertEquals("c1", c.payload().clientIdentifier());
    assertEquals("u", c.payload().userName());
    assertArrayEquals("p".getBytes(StandardCharsets.UTF_8), c.payload().passwordInBytes());
    assertTrue(c.variableHeader().isWillFlag());
    assertTrue(c.variableHeader().isWillRetain());
    assertEquals(1, c.variableHeader().willQos());
    assertEquals("dead/c1", c.payload().willTopic());
    MqttProperties wp = c.payload().willProperties();
    assertEquals(5, MqttProps.integer(wp, MqttProperties.WILL_DELAY_INTERVAL));
    assertEquals(60, MqttProps.integer(wp, MqttProperties.PUBLICATION_EXPIRY_INTERVAL));
    assertEquals("text/plain", MqttProps.string(wp, MqttProperties.CONTENT_TYPE));
    assertEquals(1, MqttProps.integer(wp, MqttProperties.PAYLOAD_FORMAT_INDICATOR));
  }

  @Test
  void givenV5Connack_whenItCarriesCapabilities_thenConnectCompletesWithThem() {
    Harness h = new Harness(new MqttClientOptions());
    MqttProperties p = props(MqttProperties.RECEIVE_MAXIMUM, 10);
    with(p, MqttProperties.MAXIMUM_QOS, 1);
    with(p, MqttProperties.RETAIN_AVAILABLE, 0);
    with(p, MqttProperties.MAXIMUM_PACKET_SIZE, 2048);
    with(p, MqttProperties.TOPIC_ALIAS_MAXIMUM, 3);
    with(p, MqttProperties.SERVER_KEEP_ALIVE, 20);
    with(p, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, "auto-1");
    with(p, MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0);
    with(p, MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0);
    with(p, MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0);

    ConnAckInfo info = h.connect(true, p);

    assertTrue(info.sessionPresent());
    assertEquals(10, info.receiveMaximum());
    assertEquals(QoS.AT_LEAST_ONCE, info.maximumQos());
    assertFalse(info.retainAvailable());
    assertEquals(2048, info.maximumPacketSize());
    assertEquals(3, info.topicAliasMaximum());
    assertEquals(20, info.serverKeepAlive());
    assertEquals("auto-1", info.assignedClientIdentifier());
    assertFalse(info.sharedSubscriptionAvailable());
    assertFalse(info.wildcardSubscriptionAvailable());
    assertFalse(info.subscriptionIdentifiersAvailable());
    assertEquals(List.of(info), h.connected);
  }

  @Test
  void givenV5Connack_whenItRefusesWithBadCredentials_thenConnectFailsWithTheReasonAndTheSocketCloses() {
    Harness h = new Harness(new MqttClientOptions());
    Future<ConnAckInfo> f = h.open();

    h.session.receive(connAck(0x86, false, props(MqttProperties.REASON_STRING, "who are you")));

    MqttException e = assertInstanceOf(MqttException.class, f.cause());
    assertEquals(ConnectReason.BAD_USER_NAME_OR_PASSWORD, e.reasonCode());
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
    assertEquals("who are you", e.reasonString());
    assertTrue(h.sink.closed);
    h.socketClosed();
    assertTrue(h.disconnected.isEmpty(), "a refused connect is not a disconnect");
  }

  @Test
  void givenV311_whenConnackReturnCode5_thenConnectFailsNotAuthorized() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1));
    Future<ConnAckInfo> f = h.open();
    assertEquals(4, ((MqttConnectMessage) h.sink.take().get(0)).variableHeader().version());

    h.session.receive(connAck(5, false, MqttProperties.NO_PROPERTIES));

    assertEquals(ConnectReason.NOT_AUTHORIZED, ((MqttException) f.cause()).reasonCode());
  }

  @Test
  void givenNoConnack_whenConnectTimeoutPasses_thenConnectFailsWithTimeoutAndCloses() {
    Harness h = new Harness(new MqttClientOptions().setTimeoutPreset(TimeoutPreset.LOCAL));
    Future<ConnAckInfo> f = h.open();

    h.timers.advance(4_999);
    assertFalse(f.isComplete());
    h.timers.advance(1);

    assertEquals(FlowError.TIMEOUT, ((FlowException) f.cause()).error());
    assertTrue(h.sink.closed);
  }

  @Test
  void givenAuthenticator_whenBrokerChallenges_thenAnswerSentAndConnackCompletesTheExchange() {
    Harness h = new Harness(new MqttClientOptions());
    List<String> seen = new ArrayList<>();
    h.session.authenticator(new MqttAuthenticator() {
      @Override
      public String method() {
        return "TEST-SASL";
      }

      @Override
      public Future<Buffer> initialData() {
        return Future.succeededFuture(Buffer.buffer("hello"));
      }

      @Override
      public Future<Buffer> challenge(Buffer serverData) {
        seen.add("challenge:" + serverData);
        return Future.succeededFuture(Buffer.buffer("answer"));
      }

      @Override
      public void succeeded(Buffer serverData) {
        seen.add("ok:" + serverData);
      }
    });
    Future<ConnAckInfo> f = h.open();
    MqttConnectMessage c = (MqttConnectMessage) h.sink.only(MqttMessageType.CONNECT);
    assertEquals("TEST-SASL", MqttProps.string(c.variableHeader().properties(), MqttProperties.AUTHENTICATION_METHOD));
    assertEquals("hello", MqttProps.binary(c.variableHeader().properties(), MqttProperties.AUTHENTICATION_DATA).toString());

    h.session.receive(Harness.auth(0x18, "TEST-SASL", "nonce".getBytes()));
    MqttMessage answer = h.sink.only(MqttMessageType.AUTH);
    MqttReasonCodeAndPropertiesVariableHeader ah = (MqttReasonCodeAndPropertiesVariableHeader) answer.variableHeader();
    assertEquals(0x18, ah.reasonCode());
    assertEquals("answer", MqttProps.binary(ah.properties(), MqttProperties.AUTHENTICATION_DATA).toString());

    MqttProperties done = props(MqttProperties.AUTHENTICATION_METHOD, "TEST-SASL");
    with(done, MqttProperties.AUTHENTICATION_DATA, "fin".getBytes());
    h.session.receive(connAck(0, false, done));

    assertTrue(f.succeeded());
    assertEquals(List.of("challenge:nonce", "ok:fin"), seen);

    Future<Void> reauth = h.session.reauthenticate();
    MqttMessage start = h.sink.only(MqttMessageType.AUTH);
    assertEquals(0x19, ((MqttReasonCodeAndPropertiesVariableHeader) start.variableHeader()).reasonCode());
    h.session.receive(Harness.auth(0x00, "TEST-SASL", null));
    assertTrue(reauth.succeeded());
  }

  @Test
  void givenNoAuthenticator_whenBrokerSendsAuth_thenProtocolErrorDisconnect() {
    Harness h = new Harness(new MqttClientOptions());
    Future<ConnAckInfo> f = h.open();
    h.sink.take();

    h.session.receive(Harness.auth(0x18, "X", null));

    assertEquals(DisconnectReason.PROTOCOL_ERROR.code(), Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertEquals(DisconnectReason.PROTOCOL_ERROR, ((MqttException) f.cause()).reasonCode());
  }

  @Test
  void givenAnEstablishedSession_whenReconnecting_thenCleanStartIsOffToResumeIt() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    h.session.disconnect(DisconnectReason.NORMAL_DISCONNECTION, null);
    h.socketClosed();

    h.open();

    assertFalse(((MqttConnectMessage) h.sink.only(MqttMessageType.CONNECT)).variableHeader().isCleanSession());
    assertNull(h.session.broker());
  }

  static MqttAuthenticator failing(String method) {
    return new MqttAuthenticator() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public Future<Buffer> initialData() {
        return Future.failedFuture(new IllegalStateException("no key"));
      }

      @Override
      public Future<Buffer> challenge(Buffer serverData) {
        return Future.failedFuture(new IllegalStateException("no key"));
      }
    };
  }

  @Test
  void givenAnAuthenticatorWhoseInitialDataFails_whenOpened_thenNoConnectIsSentAndConnectFailsNotAuthorized() {
    Harness h = new Harness(new MqttClientOptions());
    h.session.authenticator(failing("X"));

    Future<ConnAckInfo> f = h.open();

    assertTrue(h.sink.take().isEmpty());
    assertTrue(h.sink.closed);
    assertEquals(FlowError.NOT_AUTHORIZED, ((FlowException) f.cause()).error());
  }

  @Test
  void givenReauthenticationInProgress_whenTheBrokerDisconnectsNotAuthorized_thenTheReauthFutureFails() {
    Harness h = new Harness(new MqttClientOptions());
    h.session.authenticator(new MqttAuthenticator() {
      @Override
      public String method() {
        return "M";
      }

      @Override
      public Future<Buffer> initialData() {
        return Future.succeededFuture(Buffer.buffer("d"));
      }

      @Override
      public Future<Buffer> challenge(Buffer serverData) {
        return Future.succeededFuture(Buffer.buffer("a"));
      }
    });
    h.connect(false, props(MqttProperties.AUTHENTICATION_METHOD, "M"));
    Future<Void> reauth = h.session.reauthenticate();
    h.sink.only(MqttMessageType.AUTH);

    h.session.receive(Harness.disconnect(0x87, "expired token"));
    h.socketClosed();

    MqttException e = assertInstanceOf(MqttException.class, reauth.cause());
    assertEquals(DisconnectReason.NOT_AUTHORIZED, e.reasonCode());
  }
}
