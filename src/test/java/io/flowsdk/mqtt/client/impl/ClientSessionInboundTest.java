package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.mqtt.client.SubAckReason;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.SubscribeResult;
import io.flowsdk.mqtt.client.Subscription;
import io.flowsdk.mqtt.client.RetainHandling;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.client.impl.Harness.props;
import static io.flowsdk.mqtt.client.impl.Harness.publish;
import static io.flowsdk.mqtt.client.impl.Harness.pubReply;
import static io.flowsdk.mqtt.client.impl.Harness.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incoming publishes and their acknowledgements, Receive Maximum, inbound topic aliases, SUBSCRIBE/SUBACK. */
class ClientSessionInboundTest {

  static int reason(MqttMessage reply) {
    return ((MqttPubReplyMessageVariableHeader) reply.variableHeader()).reasonCode() & 0xFF;
  }

  @Test
  void givenPublishWithProperties_whenReceived_thenHandlerSeesEveryPropertyAndSubscriptionIds() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    MqttProperties p = props(MqttProperties.CONTENT_TYPE, "application/json");
    with(p, MqttProperties.RESPONSE_TOPIC, "reply/1");
    with(p, MqttProperties.CORRELATION_DATA, "c-1".getBytes());
    with(p, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 30);
    with(p, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1);
    with(p, MqttProperties.SUBSCRIPTION_IDENTIFIER, 7);
    with(p, MqttProperties.SUBSCRIPTION_IDENTIFIER, 9);
    p.add(new MqttProperties.UserProperty("k", "v"));

    h.session.receive(publish("s/1", 0, 0, false, "{}", p));

    InboundMessage m = h.messages.get(0);
    assertEquals("s/1", m.topic());
    assertEquals("application/json", m.contentType());
    assertEquals("reply/1", m.responseTopic());
    assertEquals("c-1", m.correlationData().toString());
    assertEquals(30, m.messageExpirySeconds());
    assertEquals(io.flowsdk.bus.PayloadFormat.UTF8, m.payloadFormat());
    assertEquals(List.of(7, 9), m.subscriptionIdentifiers());
    assertEquals("v", m.userProperties().get(0).value());
  }

  @Test
  void givenSlowHandler_whenTwoQos1Arrive_thenPubacksWaitForTheHandlerAndKeepArrivalOrder() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    List<Promise<Void>> pending = new ArrayList<>();
    h.handler = m -> {
      Promise<Void> pr = Promise.promise();
      pending.add(pr);
      return pr.future();
    };
    h.session.receive(publish("a", 1, 11, false, "1", MqttProperties.NO_PROPERTIES));
    h.session.receive(publish("a", 1, 12, false, "2", MqttProperties.NO_PROPERTIES));
    assertTrue(h.sink.take().isEmpty(), "nothing acknowledged before the handler is done");

    pending.get(1).complete();
    assertTrue(h.sink.take().isEmpty(), "the second waits for the first");
    pending.get(0).complete();

    List<MqttMessage> acks = h.sink.take();
    assertEquals(List.of(11, 12), acks.stream().map(Packets::packetId).toList());
  }

  @Test
  void givenHandlerRefusesWithMqttException_whenQos1Received_thenV5PubackCarriesItsReasonCode() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    h.handler = m -> Future.failedFuture(new MqttException(PubAckReason.QUOTA_EXCEEDED, null, "full"));

    h.session.receive(publish("a", 1, 5, false, "x", MqttProperties.NO_PROPERTIES));

    assertEquals(0x97, reason(h.sink.only(MqttMessageType.PUBACK)));
    assertTrue(!h.sink.closed);
  }

  @Test
  void givenV5HandlerFailsWithoutRefusing_whenQos1Received_thenNoPubackAndDisconnect0x80() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    h.handler = m -> Future.failedFuture(new FlowException(FlowError.OVERLOADED, "full"));

    h.session.receive(publish("a", 1, 5, false, "x", MqttProperties.NO_PROPERTIES));

    assertEquals(0x80, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.sink.closed);
    h.socketClosed();
    assertTrue(h.disconnected.get(0).reasonString().contains("did not take a message (full)"));
    assertEquals(1.0, h.registry.counter("flowsdk_mqtt_client_not_taken_closes", "client", "test").count());
  }

  @Test
  void givenV311HandlerFails_whenQos1Received_thenNothingIsAcknowledgedAndTheResumedSessionDeliversItAgain() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1).setCleanStart(false));
    h.connect(false, MqttProperties.NO_PROPERTIES);
    h.handler = m -> Future.failedFuture(new FlowException(FlowError.OVERLOADED, "full"));
    h.session.receive(publish("a", 1, 5, false, "x", MqttProperties.NO_PROPERTIES));

    assertTrue(h.sink.take().isEmpty(), "no PUBACK (and no DISCONNECT, which 3.1.1 cannot give a reason)");
    assertTrue(h.sink.closed);
    h.socketClosed();

    h.handler = m -> Future.succeededFuture();
    h.connect(true, MqttProperties.NO_PROPERTIES);
    h.session.receive(publish("a", 1, 5, true, "x", MqttProperties.NO_PROPERTIES));
    assertEquals(5, Packets.packetId(h.sink.only(MqttMessageType.PUBACK)));
    assertEquals(2, h.messages.size());
  }

  @Test
  void givenV311HandlerRefusesWithMqttException_whenQos1Received_thenPlainPubackEndsTheExchange() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1));
    h.connect(false, MqttProperties.NO_PROPERTIES);
    h.handler = m -> Future.failedFuture(new MqttException(PubAckReason.TOPIC_NAME_INVALID, null, "unmappable"));

    h.session.receive(publish("a", 1, 5, false, "x", MqttProperties.NO_PROPERTIES));

    assertEquals(5, Packets.packetId(h.sink.only(MqttMessageType.PUBACK)));
    assertTrue(!h.sink.closed);
  }

  @Test
  void givenQos2HandlerFailsFirst_whenTheResumedSessionResendsIt_thenDeliveredAgainAndPubrecSuccess() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    h.handler = m -> Future.failedFuture(new FlowException(FlowError.TIMEOUT, "slow"));
    h.session.receive(publish("q2", 2, 8, false, "p", MqttProperties.NO_PROPERTIES));
    h.sink.only(MqttMessageType.DISCONNECT);
    h.socketClosed();

    h.handler = m -> Future.succeededFuture();
    h.connect(true, new MqttProperties());
    h.session.receive(publish("q2", 2, 8, true, "p", MqttProperties.NO_PROPERTIES));

    assertEquals(0, reason(h.sink.only(MqttMessageType.PUBREC)));
    assertEquals(2, h.messages.size(), "the first delivery failed, so the resent one is delivered");
    h.session.receive(publish("q2", 2, 8, true, "p", MqttProperties.NO_PROPERTIES));
    h.sink.only(MqttMessageType.PUBREC);
    assertEquals(2, h.messages.size(), "once taken, never delivered again");
  }

  @Test
  void givenQos2Received_whenBrokerResendsItWithDup_thenDeliveredOnceAndPubrecRepeatedThenPubcompOnPubrel() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(publish("q2", 2, 21, false, "once", MqttProperties.NO_PROPERTIES));
    h.sink.only(MqttMessageType.PUBREC);
    h.session.receive(publish("q2", 2, 21, true, "once", MqttProperties.NO_PROPERTIES));
    h.sink.only(MqttMessageType.PUBREC);
    h.session.receive(pubReply(MqttMessageType.PUBREL, 21, 0));

    assertEquals(0, reason(h.sink.only(MqttMessageType.PUBCOMP)));
    assertEquals(1, h.messages.size());
    assertEquals(0, h.session.inboundUnacknowledged());
  }

  @Test
  void givenQos2AwaitingPubrel_whenReconnectedWithSessionPresent_thenTheResentPublishIsNotDeliveredAgain() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    h.session.receive(publish("q2", 2, 3, false, "once", MqttProperties.NO_PROPERTIES));
    h.socketClosed();

    h.connect(true, new MqttProperties());
    h.session.receive(publish("q2", 2, 3, true, "once", MqttProperties.NO_PROPERTIES));

    assertEquals(1, h.messages.size());
    h.sink.only(MqttMessageType.PUBREC);
  }

  @Test
  void givenUnknownPubrel_whenReceived_thenPubcompPacketIdentifierNotFound() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(pubReply(MqttMessageType.PUBREL, 99, 0));

    assertEquals(0x92, reason(h.sink.only(MqttMessageType.PUBCOMP)));
  }

  @Test
  void givenReceiveMaximum1_whenBrokerSendsASecondUnacknowledgedQos1_thenDisconnectReceiveMaximumExceeded() {
    Harness h = new Harness(new MqttClientOptions().setReceiveMaximum(1));
    h.connect();
    h.handler = m -> Promise.<Void>promise().future();
    h.session.receive(publish("a", 1, 1, false, "1", MqttProperties.NO_PROPERTIES));

    h.session.receive(publish("a", 1, 2, false, "2", MqttProperties.NO_PROPERTIES));

    assertEquals(0x93, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.sink.closed);
    h.socketClosed();
    assertEquals(DisconnectReason.RECEIVE_MAXIMUM_EXCEEDED, h.disconnected.get(0).reasonCode());
    assertEquals(1, h.errors.size());
  }

  @Test
  void givenTopicAliasMaximum2_whenBrokerSetsThenUsesAnAlias_thenTheTopicIsResolved() {
    Harness h = new Harness(new MqttClientOptions().setTopicAliasMaximum(2));
    h.connect();

    h.session.receive(publish("long/topic", 0, 0, false, "1", props(MqttProperties.TOPIC_ALIAS, 2)));
    h.session.receive(publish("", 0, 0, false, "2", props(MqttProperties.TOPIC_ALIAS, 2)));

    assertEquals("long/topic", h.messages.get(1).topic());
  }

  @Test
  void givenTopicAliasMaximum2_whenBrokerUsesAlias3_thenDisconnectTopicAliasInvalid() {
    Harness h = new Harness(new MqttClientOptions().setTopicAliasMaximum(2));
    h.connect();

    h.session.receive(publish("t", 0, 0, false, "1", props(MqttProperties.TOPIC_ALIAS, 3)));

    assertEquals(0x94, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
  }

  @Test
  void givenNoAliasKnown_whenBrokerSendsEmptyTopicWithAlias_thenDisconnectProtocolError() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(publish("", 0, 0, false, "1", props(MqttProperties.TOPIC_ALIAS, 1)));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertTrue(h.messages.isEmpty());
  }

  @Test
  void givenSubscribeWithEveryOption_whenSubackArrives_thenPerFilterReasonCodes() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    SubscribeRequest req = SubscribeRequest.builder()
      .add(Subscription.of("a/+", QoS.EXACTLY_ONCE).withNoLocal(true).withRetainAsPublished(true)
        .withRetainHandling(RetainHandling.DO_NOT_SEND))
      .add("$share/g/b/#", QoS.AT_LEAST_ONCE)
      .subscriptionIdentifier(42).userProperty("x", "y").build();

    Future<SubscribeResult> f = h.session.subscribe(req);
    MqttSubscribeMessage s = (MqttSubscribeMessage) h.sink.only(MqttMessageType.SUBSCRIBE);
    MqttTopicSubscription first = s.payload().topicSubscriptions().get(0);
    assertTrue(first.option().isNoLocal());
    assertTrue(first.option().isRetainAsPublished());
    assertEquals(2, first.option().retainHandling().value());
    assertEquals(42, MqttProps.integer(s.idAndPropertiesVariableHeader().properties(), MqttProperties.SUBSCRIPTION_IDENTIFIER));
    h.session.receive(Harness.subAck(s.variableHeader().messageId(), 2, 0x87));

    assertEquals(List.of(SubAckReason.GRANTED_QOS_2, SubAckReason.NOT_AUTHORIZED), f.result().reasonCodes());
    assertTrue(!f.result().allGranted());
  }

  @Test
  void givenSubscribe_whenSubackHasTheWrongNumberOfCodes_thenProtocolErrorAndTheSubscribeFails() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    Future<SubscribeResult> f = h.session.subscribe(SubscribeRequest.of("a", QoS.AT_MOST_ONCE));
    int id = ((MqttSubscribeMessage) h.sink.only(MqttMessageType.SUBSCRIBE)).variableHeader().messageId();

    h.session.receive(Harness.subAck(id, 0, 0));

    assertEquals(0x82, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
    assertEquals(DisconnectReason.PROTOCOL_ERROR, ((MqttException) f.cause()).reasonCode());
  }

  @Test
  void givenV311_whenSubackReturnsFailure0x80_thenTheFilterIsRefused() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1));
    h.connect(false, io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES);
    Future<SubscribeResult> f = h.session.subscribe(SubscribeRequest.of("a", QoS.AT_LEAST_ONCE));
    int id = ((MqttSubscribeMessage) h.sink.only(MqttMessageType.SUBSCRIBE)).variableHeader().messageId();

    h.session.receive(Harness.subAck(id, 0x80));

    assertEquals(List.of(SubAckReason.UNSPECIFIED_ERROR), f.result().reasonCodes());
  }

  @Test
  void givenV311_whenSubackCarriesAnMqtt5OnlyReturnCode_thenProtocolErrorAndTheSubscribeFails() {
    Harness h = new Harness(new MqttClientOptions().setVersion(MqttVersion.V3_1_1));
    h.connect(false, io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES);
    Future<SubscribeResult> f = h.session.subscribe(SubscribeRequest.of("a", QoS.AT_LEAST_ONCE));
    int id = ((MqttSubscribeMessage) h.sink.only(MqttMessageType.SUBSCRIBE)).variableHeader().messageId();

    h.session.receive(Harness.subAck(id, 0x87));

    MqttException e = (MqttException) f.cause();
    assertEquals(DisconnectReason.PROTOCOL_ERROR, e.reasonCode());
    assertEquals("SUBACK return code 0x87 is not one of MQTT 3.1.1 (0x00, 0x01, 0x02, 0x80; MQTT-3.9.3-2)", e.reasonString());
    assertTrue(h.sink.closed);
  }

  @Test
  void givenServerDisconnectWithReason_whenReceived_thenDisconnectedEventCarriesCodeAndString() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();

    h.session.receive(Harness.disconnect(0x8B, "maintenance"));
    h.socketClosed();

    assertEquals(DisconnectReason.SERVER_SHUTTING_DOWN, h.disconnected.get(0).reasonCode());
    assertEquals("maintenance", h.disconnected.get(0).reasonString());
    assertTrue(h.disconnected.get(0).byServer());
    MqttException cause = assertInstanceOf(MqttException.class, h.disconnected.get(0).cause());
    assertEquals(FlowError.DISCONNECTED, cause.error());
  }
}
