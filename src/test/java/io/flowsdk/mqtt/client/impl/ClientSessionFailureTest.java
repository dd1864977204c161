package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.SubscribeResult;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.flowsdk.mqtt.client.impl.Harness.props;
import static io.flowsdk.mqtt.client.impl.Harness.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and dead connections: each ends with the right reason code and a typed error. */
class ClientSessionFailureTest {

  @Test
  void givenConnected_whenDecoderReportsAMalformedPacket_thenDisconnectMalformedAndTypedError() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(Harness.malformed(new DecoderException("bad remaining length")));

    assertEquals(0x81, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.sink.closed);
    MqttException e = assertInstanceOf(MqttException.class, h.errors.get(0));
    assertEquals(DisconnectReason.MALFORMED_PACKET, e.reasonCode());
    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
  }

  @Test
  void givenConnected_whenDecoderReportsAnOversizePacket_thenDisconnectPacketTooLarge() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(Harness.malformed(new TooLongFrameException("message length exceeds 100")));

    assertEquals(0x95, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertEquals(FlowError.TOO_LARGE, h.errors.get(0).error());
  }

  @Test
  void givenConnected_whenTheGuardRefusesACONNECTFromTheBroker_thenDisconnectProtocolError() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(Harness.malformed(new FlowException(FlowError.PROTOCOL_ERROR, "CONNECT from the broker")));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.sink.closed);
    MqttException e = assertInstanceOf(MqttException.class, h.errors.get(0));
    assertEquals(DisconnectReason.PROTOCOL_ERROR, e.reasonCode());
    assertEquals("CONNECT from the broker", e.reasonString());
  }

  @Test
  void givenConnecting_whenPublishArrivesBeforeConnack_thenConnectFailsWithProtocolError() {
    Harness h = new Harness(new MqttClientOptions());
    Future<ConnAckInfo> f = h.open();
    h.sink.take();

    h.session.receive(publish("early", 0, 0, false, "x", MqttProperties.NO_PROPERTIES));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertEquals(DisconnectReason.PROTOCOL_ERROR, ((MqttException) f.cause()).reasonCode());
  }

  @Test
  void givenConnected_whenASecondConnackArrives_thenProtocolError() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(Harness.connAck(0, false, new MqttProperties()));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
  }

  @Test
  void givenV311_whenBrokerSendsDisconnect_thenProtocolErrorWithoutSendingAV5Disconnect() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1));
    h.connect(false, MqttProperties.NO_PROPERTIES);

    h.session.receive(new MqttMessage(Harness.fixed(MqttMessageType.DISCONNECT, io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE)));

    assertTrue(h.sink.take().isEmpty());
    assertTrue(h.sink.closed);
    assertEquals(DisconnectReason.PROTOCOL_ERROR, ((MqttException) h.errors.get(0)).reasonCode());
  }

  @Test
  void givenConnected_whenPubackHasAnUndefinedReasonCode_thenProtocolError() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    h.session.publish(ClientSessionPublishTest.msg("a", io.flowsdk.bus.QoS.AT_LEAST_ONCE));
    int id = ((io.netty.handler.codec.mqtt.MqttPublishMessage) h.sink.only(MqttMessageType.PUBLISH)).variableHeader().packetId();

    h.session.receive(Harness.pubReply(MqttMessageType.PUBACK, id, 0x42));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
  }

  @Test
  void givenKeepAlive10s_whenTheBrokerAnswersPings_thenTheConnectionStaysUp() {
    Harness h = new Harness(new MqttClientOptions().setKeepAliveSeconds(10).setTimeoutPreset(TimeoutPreset.LOCAL));
    h.connect();

    for (int i = 0; i < 10; i++) {
      h.timers.advance(2_500);
      for (MqttMessage m : h.sink.take()) {
        assertEquals(MqttMessageType.PINGREQ, m.fixedHeader().messageType());
        h.session.receive(Harness.pingResp());
      }
    }

    assertTrue(h.session.isConnected());
  }

  @Test
  void givenKeepAlive10s_whenTheBrokerGoesSilent_thenPingSentAndConnectionDeclaredDeadWithin15s() {
    Harness h = new Harness(new MqttClientOptions().setKeepAliveSeconds(10).setTimeoutPreset(TimeoutPreset.LOCAL));
    h.connect();

    h.timers.advance(5_000);
    h.sink.only(MqttMessageType.PINGREQ);
    h.timers.advance(10_000);

    assertEquals(0x8D, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.sink.closed);
    h.socketClosed();
    assertEquals(DisconnectReason.KEEP_ALIVE_TIMEOUT, h.disconnected.get(0).reasonCode());
  }

  @Test
  void givenServerKeepAlive_whenConnackOverridesOurs_thenPingsFollowTheServerValue() {
    Harness h = new Harness(new MqttClientOptions().setKeepAliveSeconds(60));
    h.connect(false, props(MqttProperties.SERVER_KEEP_ALIVE, 4));

    h.timers.advance(2_000);

    assertEquals(List.of(MqttMessageType.PINGREQ), h.sink.take().stream().map(m -> m.fixedHeader().messageType()).toList());
  }

  @Test
  void givenConnectionLost_whenSubscribeWasPending_thenItFailsDisconnected() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    var f = h.session.subscribe(io.flowsdk.mqtt.client.SubscribeRequest.of("a", io.flowsdk.bus.QoS.AT_MOST_ONCE));

    h.socketClosed();

    assertEquals(FlowError.DISCONNECTED, ((FlowException) f.cause()).error());
    assertEquals(DisconnectReason.UNSPECIFIED_ERROR, h.disconnected.get(0).reasonCode());
  }

  @Test
  void givenAnEstablishedConnection_whenTheSocketFails_thenTheDisconnectAndPendingRequestsCarryTheIoCause() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    Future<SubscribeResult> pending = h.session.subscribe(SubscribeRequest.of("a", QoS.AT_LEAST_ONCE));
    IOException reset = new IOException("Connection reset by peer");

    h.session.transportFailed(reset);
    assertTrue(h.sink.closed);
    h.socketClosed();

    DisconnectInfo info = h.disconnected.get(0);
    assertEquals("the connection failed: IOException: Connection reset by peer", info.reasonString());
    assertSame(reset, info.cause().getCause());
    assertEquals("the connection ended before the acknowledgement: the connection failed: IOException: Connection reset by peer"
      + " (UNSPECIFIED_ERROR 0x80)", pending.cause().getMessage());
    assertSame(reset, pending.cause().getCause().getCause());
  }
}
