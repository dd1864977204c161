package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.OfflineDropPolicy;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.client.impl.Harness.props;
import static io.flowsdk.mqtt.client.impl.Harness.pubReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outgoing QoS 0/1/2, flow control, ack timeouts, session resume, topic aliases and the offline buffer. */
class ClientSessionPublishTest {

  static PublishRequest msg(String topic, QoS qos) {
    return PublishRequest.builder(topic).payload("x").qos(qos).build();
  }

  @Test
  void givenBrokerReceiveMaximum2_whenFourQos1Published_thenTwoInflightAndTheRestSentAsAcksArrive() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect(false, props(MqttProperties.RECEIVE_MAXIMUM, 2));
    List<Future<PublishAck>> acks = new ArrayList<>();

    for (int i = 0; i < 4; i++) {
      acks.add(h.session.publish(msg("t/" + i, QoS.AT_LEAST_ONCE)));
    }

    List<MqttMessage> first = h.sink.take();
    assertEquals(2, first.size());
    int id0 = ((MqttPublishMessage) first.get(0)).variableHeader().packetId();
    h.session.receive(pubReply(MqttMessageType.PUBACK, id0, 0x10));
    assertTrue(acks.get(0).succeeded());
    assertEquals(PubAckReason.NO_MATCHING_SUBSCRIBERS, acks.get(0).result().reasonCode());
    List<MqttMessage> next = h.sink.take();
    assertEquals(1, next.size(), "one slot freed, one more sent");
    assertEquals("t/2", ((MqttPublishMessage) next.get(0)).variableHeader().topicName());
    assertFalse(acks.get(3).isComplete());
  }

  @Test
  void givenQos2Publish_whenPubrecThenPubcomp_thenPubrelSentAndFutureCompletes() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    Future<PublishAck> ack = h.session.publish(msg("a", QoS.EXACTLY_ONCE));
    int id = ((MqttPublishMessage) h.sink.only(MqttMessageType.PUBLISH)).variableHeader().packetId();

    h.session.receive(pubReply(MqttMessageType.PUBREC, id, 0));
    assertEquals(id, Packets.packetId(h.sink.only(MqttMessageType.PUBREL)));
    assertFalse(ack.isComplete());
    h.session.receive(pubReply(MqttMessageType.PUBCOMP, id, 0));

    assertTrue(ack.succeeded());
    assertEquals(QoS.EXACTLY_ONCE, ack.result().qos());
  }

  @Test
  void givenQos1Publish_whenPubackCarriesAnError_thenFutureFailsWithMqttExceptionAndItsCode() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    Future<PublishAck> ack = h.session.publish(msg("a", QoS.AT_LEAST_ONCE));
    int id = ((MqttPublishMessage) h.sink.only(MqttMessageType.PUBLISH)).variableHeader().packetId();

    h.session.receive(pubReply(MqttMessageType.PUBACK, id, 0x87));

    MqttException e = assertInstanceOf(MqttException.class, ack.cause());
    assertEquals(PubAckReason.NOT_AUTHORIZED, e.reasonCode());
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
  }

  @Test
  void givenQos1Publish_whenNoPubackWithinAckTimeout_thenFutureFailsWithTimeoutAndTheTimeoutIsCounted() {
    Harness h = new Harness(new MqttClientOptions().setTimeoutPreset(TimeoutPreset.LOCAL));
    h.connect();
    Future<PublishAck> ack = h.session.publish(msg("a", QoS.AT_LEAST_ONCE));

    h.timers.advance(3_000);

    assertEquals(FlowError.TIMEOUT, ((FlowException) ack.cause()).error());
    assertEquals(1.0, h.registry.counter("flowsdk_mqtt_client_ack_timeouts", "client", "test").count());
  }

  @Test
  void givenInflightQos1AndQos2_whenReconnectedWithSessionPresent_thenPublishResentWithDupAndPubrelResent() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    Future<PublishAck> q1 = h.session.publish(msg("one", QoS.AT_LEAST_ONCE));
    Future<PublishAck> q2 = h.session.publish(msg("two", QoS.EXACTLY_ONCE));
    List<MqttMessage> sent = h.sink.take();
    int id1 = ((MqttPublishMessage) sent.get(0)).variableHeader().packetId();
    int id2 = ((MqttPublishMessage) sent.get(1)).variableHeader().packetId();
    h.session.receive(pubReply(MqttMessageType.PUBREC, id2, 0));
    h.sink.take();
    h.socketClosed();
    assertEquals(1, h.disconnected.size());

    h.connect(true, new MqttProperties());

    List<MqttMessage> resent = h.sink.take();
    assertEquals(2, resent.size());
    // PUBRELs first: they take no room in the Receive Maximum that the resent PUBLISHes wait for (MQTT 5 §4.6 orders each kind only)
    assertEquals(MqttMessageType.PUBREL, resent.get(0).fixedHeader().messageType());
    assertEquals(id2, Packets.packetId(resent.get(0)));
    MqttPublishMessage again = (MqttPublishMessage) resent.get(1);
    assertTrue(again.fixedHeader().isDup());
    assertEquals(id1, again.variableHeader().packetId());
    assertEquals("one", again.variableHeader().topicName());
    h.session.receive(pubReply(MqttMessageType.PUBACK, id1, 0));
    h.session.receive(pubReply(MqttMessageType.PUBCOMP, id2, 0));
    assertTrue(q1.succeeded());
    assertTrue(q2.succeeded());
  }

  @Test
  void givenInflightQos1_whenReconnectedWithoutSession_thenFutureFailsDisconnectedAndTheLossIsReported() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    Future<PublishAck> q1 = h.session.publish(msg("one", QoS.AT_LEAST_ONCE));
    h.socketClosed();

    h.connect(false, new MqttProperties());

    assertEquals(FlowError.DISCONNECTED, ((FlowException) q1.cause()).error());
    assertEquals(1, h.errors.size());
    assertTrue(h.sink.take().isEmpty(), "nothing resent into a new session");
  }

  @Test
  void givenDisconnected_whenPublishing_thenBufferedAndSentInOrderAfterConnect() {
    Harness h = new Harness(new MqttClientOptions());
    Future<PublishAck> a = h.session.publish(msg("a", QoS.AT_MOST_ONCE));
    Future<PublishAck> b = h.session.publish(msg("b", QoS.AT_LEAST_ONCE));
    assertFalse(a.isComplete());

    h.connect();
    List<MqttMessage> sent = h.sink.take();

    assertEquals(List.of("a", "b"), sent.stream().map(p -> ((MqttPublishMessage) p).variableHeader().topicName()).toList());
    assertTrue(a.succeeded());
    assertFalse(b.isComplete());
  }

  @Test
  void givenFullOfflineBuffer_whenHigherPriorityPublished_thenOldestOfLowestPriorityDroppedAndCounted() {
    Harness h = new Harness(new MqttClientOptions().setOfflineBufferMaxMessages(2));
    Future<PublishAck> low1 = h.session.publish(PublishRequest.builder("l1").priority(1).build());
    Future<PublishAck> low2 = h.session.publish(PublishRequest.builder("l2").priority(1).build());

    Future<PublishAck> high = h.session.publish(PublishRequest.builder("h").priority(200).build());

    assertEquals(FlowError.OVERLOADED, ((FlowException) low1.cause()).error());
    assertFalse(low2.isComplete());
    assertFalse(high.isComplete());
    assertEquals(1.0, h.registry.counter("flowsdk_mqtt_client_offline_dropped", "client", "test").count());
    Future<PublishAck> lowest = h.session.publish(PublishRequest.builder("l0").priority(0).build());
    assertEquals(FlowError.OVERLOADED, ((FlowException) lowest.cause()).error(), "the new message is the lowest");
  }

  @Test
  void givenDropNewestPolicy_whenBufferFullOfSamePriority_thenTheNewMessageIsDropped() {
    Harness h = new Harness(new MqttClientOptions().setOfflineBufferMaxMessages(1)
      .setOfflineBufferDropPolicy(OfflineDropPolicy.DROP_NEWEST));
    Future<PublishAck> first = h.session.publish(msg("a", QoS.AT_MOST_ONCE));

    Future<PublishAck> second = h.session.publish(msg("b", QoS.AT_MOST_ONCE));

    assertFalse(first.isComplete());
    assertEquals(FlowError.OVERLOADED, ((FlowException) second.cause()).error());
  }

  @Test
  void givenBufferedMessageWithExpiry_whenItRunsOutBeforeConnect_thenItFailsInsteadOfBeingSent() {
    Harness h = new Harness(new MqttClientOptions());
    Future<PublishAck> f = h.session.publish(PublishRequest.builder("e").messageExpiry(2).build());

    h.timers.advance(3_000);
    h.connect();

    assertEquals(FlowError.TIMEOUT, ((FlowException) f.cause()).error());
    assertTrue(h.sink.take().isEmpty());
  }

  @Test
  void givenBrokerTopicAliasMaximum2_whenTopicsRepeat_thenAliasesUsedAndLeastRecentlyUsedReassigned() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect(false, props(MqttProperties.TOPIC_ALIAS_MAXIMUM, 2));

    for (String t : List.of("a", "b", "a", "c", "b")) {
      h.session.publish(msg(t, QoS.AT_MOST_ONCE));
    }

    List<String> wire = new ArrayList<>();
    for (MqttMessage p : h.sink.take()) {
      MqttPublishMessage m = (MqttPublishMessage) p;
      wire.add(m.variableHeader().topicName() + "#" + MqttProps.integer(m.variableHeader().properties(), MqttProperties.TOPIC_ALIAS));
    }
    // "c" takes the alias of "b" (least recently used), so "b" is sent in full again with "a"'s old alias
    assertEquals(List.of("a#1", "b#2", "#1", "c#2", "b#1"), wire);
  }

  @Test
  void givenBrokerMaximumPacketSize_whenMessageIsLarger_thenPublishFailsTooLargeWithoutSending() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect(false, props(MqttProperties.MAXIMUM_PACKET_SIZE, 100));

    Future<PublishAck> f = h.session.publish(PublishRequest.builder("big").payload("x".repeat(200)).build());

    assertEquals(FlowError.TOO_LARGE, ((FlowException) f.cause()).error());
    assertTrue(h.sink.take().isEmpty());
  }

  @Test
  void givenBrokerMaximumQos1_whenQos2Published_thenRefusedAsInvalid() {
    Harness h = new Harness(new MqttClientOptions());
    h.connect(false, props(MqttProperties.MAXIMUM_QOS, 1));

    Future<PublishAck> f = h.session.publish(msg("q", QoS.EXACTLY_ONCE));

    assertEquals(FlowError.INVALID, ((FlowException) f.cause()).error());
  }

  private static String topicAndAlias(MqttMessage packet) {
    MqttPublishMessage m = (MqttPublishMessage) packet;
    return m.variableHeader().topicName() + "#" + MqttProps.integer(m.variableHeader().properties(), MqttProperties.TOPIC_ALIAS);
  }

  @Test
  void givenEveryPacketIdInUse_whenAPublishOnANewTopicFails_thenItsNextPublishStillAnnouncesTheAlias() {
    Harness h = new Harness(new MqttClientOptions().setOfflineBufferMaxMessages(100_000));
    MqttProperties limits = props(MqttProperties.TOPIC_ALIAS_MAXIMUM, 5);
    Harness.with(limits, MqttProperties.RECEIVE_MAXIMUM, 65_535);
    h.connect(false, limits);
    h.session.subscribe(SubscribeRequest.of("s", QoS.AT_LEAST_ONCE)); // takes one packet id
    for (int i = 0; i < 65_534; i++) {
      h.session.publish(msg("bulk", QoS.AT_LEAST_ONCE));
    }
    List<MqttMessage> bulk = h.sink.take();
    assertEquals(65_535, bulk.size());

    Future<PublishAck> refused = h.session.publish(msg("fresh", QoS.AT_LEAST_ONCE));
    assertEquals(FlowError.OVERLOADED, ((FlowException) refused.cause()).error());
    assertTrue(h.sink.take().isEmpty());
    h.session.receive(pubReply(MqttMessageType.PUBACK, ((MqttPublishMessage) bulk.get(1)).variableHeader().packetId(), 0));
    h.session.publish(msg("fresh", QoS.AT_LEAST_ONCE));

    assertEquals("fresh#2", topicAndAlias(h.sink.only(MqttMessageType.PUBLISH)), "the topic and its new alias, not an empty topic");
  }

  @Test
  void givenFiveInflight_whenTheSessionResumesWithReceiveMaximum2_thenTwoAreResentAndTheRestAsAcksArrive() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    for (int i = 0; i < 5; i++) {
      h.session.publish(msg("t/" + i, QoS.AT_LEAST_ONCE));
    }
    List<Integer> ids = h.sink.take().stream().map(m -> ((MqttPublishMessage) m).variableHeader().packetId()).toList();
    h.socketClosed();
    h.session.publish(msg("later", QoS.AT_LEAST_ONCE));

    h.connect(true, props(MqttProperties.RECEIVE_MAXIMUM, 2));
    List<MqttMessage> resent = h.sink.take();
    assertEquals(List.of("t/0", "t/1"), resent.stream().map(m -> ((MqttPublishMessage) m).variableHeader().topicName()).toList());
    assertTrue(resent.stream().allMatch(m -> m.fixedHeader().isDup()));

    h.session.receive(pubReply(MqttMessageType.PUBACK, ids.get(0), 0));
    MqttPublishMessage third = (MqttPublishMessage) h.sink.only(MqttMessageType.PUBLISH);
    assertEquals(ids.get(2), third.variableHeader().packetId());
    assertTrue(third.fixedHeader().isDup());
    h.session.receive(pubReply(MqttMessageType.PUBACK, ids.get(1), 0));
    h.session.receive(pubReply(MqttMessageType.PUBACK, ids.get(2), 0));
    h.session.receive(pubReply(MqttMessageType.PUBACK, ids.get(3), 0));
    List<String> rest = h.sink.take().stream().map(m -> ((MqttPublishMessage) m).variableHeader().topicName()).toList();
    assertEquals(List.of("t/3", "t/4", "later"), rest, "resends first, then the buffer, never more than 2 on the wire");
  }

  @Test
  void givenAnInflightPublish_whenTheSessionResumesWithASmallerMaximumPacketSize_thenItFailsTooLargeUnsent() {
    Harness h = new Harness(new MqttClientOptions().setSessionExpiryIntervalSeconds(60));
    h.connect();
    Future<PublishAck> big = h.session.publish(PublishRequest.builder("big").payload("x".repeat(500)).qos(QoS.AT_LEAST_ONCE).build());
    Future<PublishAck> small = h.session.publish(msg("small", QoS.AT_LEAST_ONCE));
    h.sink.take();
    h.socketClosed();

    h.connect(true, props(MqttProperties.MAXIMUM_PACKET_SIZE, 200));

    assertEquals("small", ((MqttPublishMessage) h.sink.only(MqttMessageType.PUBLISH)).variableHeader().topicName());
    FlowException tooLarge = (FlowException) big.cause();
    assertEquals(FlowError.TOO_LARGE, tooLarge.error());
    assertTrue(tooLarge.getMessage().startsWith("cannot send again on the resumed session (it may have been delivered before): "
      + "too large"), tooLarge.getMessage());
    assertEquals(1, h.session.inflightCount());
    assertFalse(small.isComplete());
  }
}
