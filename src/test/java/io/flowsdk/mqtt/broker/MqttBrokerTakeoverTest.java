package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.ack;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session moving between two clustered nodes: takeover of a connected client, resume of an absent one, and a race. */
class MqttBrokerTakeoverTest {

  static BrokerPeers nodeA;
  static BrokerPeers nodeB;

  @BeforeAll
  static void start() throws Exception {
    TestCluster cluster = new TestCluster();
    nodeA = BrokerPeers.start(join(cluster.startNode()), BrokerPeers.onFreePort());
    nodeB = BrokerPeers.start(join(cluster.startNode()), BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodeB.close();
    nodeA.close();
  }

  static RawMqttClient connect(BrokerPeers node, String id, boolean cleanStart, boolean expectPresent) throws Exception {
    RawMqttClient raw = node.rawConnecting(node.port, true, BrokerPeers.connect(id, true, cleanStart, 300));
    MqttMessage connack = join(raw.next(WAIT));
    assertEquals(MqttMessageType.CONNACK, connack.fixedHeader().messageType());
    assertEquals(expectPresent, ((MqttConnAckMessage) connack).variableHeader().isSessionPresent(),
      "session present");
    return raw;
  }

  static void subscribe(RawMqttClient raw, BrokerPeers node, String filter, MqttQoS qos) throws Exception {
    join(raw.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, filter).build()));
    assertEquals(MqttMessageType.SUBACK, join(raw.next(WAIT)).fixedHeader().messageType());
    awaitRouteOnlyTo(node, filter.replace("#", "x"));
  }

  /** Both nodes route {@code topic} to {@code node} alone: a publish from either reaches it. */
  static void awaitRouteOnlyTo(BrokerPeers node, String topic) {
    await().atMost(10, TimeUnit.SECONDS).until(() -> join(nodeA.bus.routeOf(topic)).equals(Set.of(node.bus.nodeId()))
      && join(nodeB.bus.routeOf(topic)).equals(Set.of(node.bus.nodeId())));
  }

  static void publish(BrokerPeers from, String topic, String payload, QoS qos) throws Exception {
    assertEquals(1, join(from.bus.publish(FlowMessage.builder(topic).payload(payload).qos(qos).build())).subscribers());
  }

  static String text(MqttPublishMessage p) {
    return p.payload().toString(StandardCharsets.UTF_8);
  }

  static String sessionOwner(String clientId) {
    String record = (String) ClusterNodes.hazelcast(nodeA.vertx)
      .getMap("flowsdk.mqtt.sessions").get(clientId);
    return record == null ? null : new JsonObject(record).getString("node");
  }

  @Test
  void givenAClientOnNodeAWithUnackedDeliveries_whenItConnectsToNodeB_thenAGets8EAndBResendsThemAndKeepsTheSubscription()
    throws Exception {
    RawMqttClient onA = connect(nodeA, "move-live", true, false);
    subscribe(onA, nodeA, "move/live/#", MqttQoS.AT_LEAST_ONCE);
    for (String m : List.of("m1", "m2", "m3")) {
      publish(nodeB, "move/live/t", m, QoS.AT_LEAST_ONCE);
    }
    List<MqttPublishMessage> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add((MqttPublishMessage) join(onA.next(WAIT)));
    }
    join(onA.send(ack(MqttMessageType.PUBACK, sent.get(0).variableHeader().packetId()))); // m2 and m3 stay unacknowledged

    RawMqttClient onB = connect(nodeB, "move-live", false, true);
    try {
      List<MqttMessage> toA = join(onA.untilClosed(WAIT));
      MqttMessage last = toA.get(toA.size() - 1);
      assertEquals(MqttMessageType.DISCONNECT, last.fixedHeader().messageType());
      assertEquals(0x8E, ((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode() & 0xFF);
      for (int i = 1; i < 3; i++) {
        MqttPublishMessage again = (MqttPublishMessage) join(onB.next(WAIT));
        assertEquals(text(sent.get(i)), text(again));
        assertEquals(sent.get(i).variableHeader().packetId(), again.variableHeader().packetId());
        assertTrue(again.fixedHeader().isDup(), "sent again with DUP");
        join(onB.send(ack(MqttMessageType.PUBACK, again.variableHeader().packetId())));
      }
      awaitRouteOnlyTo(nodeB, "move/live/x");
      publish(nodeA, "move/live/t", "after", QoS.AT_LEAST_ONCE);
      assertEquals("after", text((MqttPublishMessage) join(onB.next(WAIT))));
      assertEquals(nodeB.bus.nodeId(), sessionOwner("move-live"));
    } finally {
      join(onB.close());
      join(onA.close());
    }
  }

  @Test
  void givenAPersistentSessionLeftOnNodeA_whenMessagesCameWhileAway_thenTheClientGetsThemOnNodeBInOrder() throws Exception {
    RawMqttClient onA = connect(nodeA, "move-away", true, false);
    try {
      subscribe(onA, nodeA, "move/away/#", MqttQoS.EXACTLY_ONCE);
      join(onA.send(RawPacket.v5().disconnect().build())); // a normal DISCONNECT: the session stays, with no connection
      join(onA.untilClosed(WAIT));
    } finally {
      join(onA.close());
    }
    publish(nodeB, "move/away/1", "q1", QoS.AT_LEAST_ONCE);
    publish(nodeA, "move/away/2", "q2", QoS.EXACTLY_ONCE);
    publish(nodeB, "move/away/3", "q1-again", QoS.AT_LEAST_ONCE);

    RawMqttClient onB = connect(nodeB, "move-away", false, true);
    try {
      List<MqttPublishMessage> sent = new ArrayList<>();
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        MqttPublishMessage p = (MqttPublishMessage) join(onB.next(WAIT));
        sent.add(p);
        got.add(text(p) + "@" + p.fixedHeader().qosLevel().value());
      }
      assertEquals(List.of("q1@1", "q2@2", "q1-again@1"), got);
      join(onB.send(ack(MqttMessageType.PUBREC, sent.get(1).variableHeader().packetId())));
      assertEquals(MqttMessageType.PUBREL, join(onB.next(WAIT)).fixedHeader().messageType());
      awaitRouteOnlyTo(nodeB, "move/away/x");
    } finally {
      join(onB.close());
    }
  }

  @Test
  void givenAQos2PublishWhosePubrecCameOnNodeA_whenTheClientResumesOnNodeBAndSendsItAgain_thenItReachesTheBusOnceAndCompletes()
    throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    join(nodeA.bus.subscribe(new SubscriptionOptions().setFilter("inbound/q2/#").setQos(QoS.EXACTLY_ONCE),
      m -> {
        got.add(m.payload().toString());
        return Future.succeededFuture();
      }));
    awaitRouteOnlyTo(nodeA, "inbound/q2/x");
    RawMqttClient onA = connect(nodeA, "inbound-q2", true, false);
    join(onA.send(MqttBrokerSessionTest.publish("inbound/q2/t", 2, 7, false, "once")));
    assertEquals(MqttMessageType.PUBREC, join(onA.next(WAIT)).fixedHeader().messageType());
    join(onA.close()); // cut before the PUBREL: as far as the client knows, its PUBREC may have been lost
    RawMqttClient onB = connect(nodeB, "inbound-q2", false, true);
    try {
      join(onB.send(MqttBrokerSessionTest.publish("inbound/q2/t", 2, 7, true, "once")));
      assertIdAck(join(onB.next(WAIT)), MqttMessageType.PUBREC, 7);
      join(onB.send(ack(MqttMessageType.PUBREL, 7)));
      assertIdAck(join(onB.next(WAIT)), MqttMessageType.PUBCOMP, 7);
      join(onB.send(MqttBrokerSessionTest.publish("inbound/q2/t", 2, 8, false, "next")));
      assertIdAck(join(onB.next(WAIT)), MqttMessageType.PUBREC, 8);
      await().atMost(10, TimeUnit.SECONDS).until(() -> got.contains("next"));
      assertEquals(List.of("once", "next"), got, "the copy sent again on node B did not reach the bus");
    } finally {
      join(onB.close());
    }
  }

  @Test
  void givenAQos2DeliveryWhosePubrecCameOnNodeA_whenTheClientResumesOnNodeB_thenBSendsThePubrelAgain() throws Exception {
    RawMqttClient onA = connect(nodeA, "outbound-q2", true, false);
    subscribe(onA, nodeA, "outbound/q2/#", MqttQoS.EXACTLY_ONCE);
    publish(nodeB, "outbound/q2/t", "m", QoS.EXACTLY_ONCE);
    MqttPublishMessage sent = (MqttPublishMessage) join(onA.next(WAIT));
    join(onA.send(ack(MqttMessageType.PUBREC, sent.variableHeader().packetId())));
    assertIdAck(join(onA.next(WAIT)), MqttMessageType.PUBREL, sent.variableHeader().packetId()); // never completed on A
    RawMqttClient onB = connect(nodeB, "outbound-q2", false, true);
    try {
      join(onA.untilClosed(WAIT));
      assertIdAck(join(onB.next(WAIT)), MqttMessageType.PUBREL, sent.variableHeader().packetId());
      join(onB.send(ack(MqttMessageType.PUBCOMP, sent.variableHeader().packetId())));
      awaitRouteOnlyTo(nodeB, "outbound/q2/x");
      publish(nodeA, "outbound/q2/t", "after", QoS.EXACTLY_ONCE);
      MqttPublishMessage after = (MqttPublishMessage) join(onB.next(WAIT));
      assertEquals("after", text(after), "the completed delivery was not sent again");
      assertTrue(!after.fixedHeader().isDup());
    } finally {
      join(onB.close());
      join(onA.close());
    }
  }

  private static void assertIdAck(MqttMessage packet, MqttMessageType type, int packetId) {
    assertEquals(type, packet.fixedHeader().messageType());
    assertEquals(packetId, ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId());
  }

  @Test
  void givenTwoConnectionsOfOneClientIdOnBothNodesAtOnce_thenExactlyOneStaysAndTheOtherGets8E() throws Exception {
    for (int round = 0; round < 5; round++) {
      String id = "race-" + round;
      List<String> takenOver = new CopyOnWriteArrayList<>();
      Mqtt5AsyncClient onA = raceClient(id, nodeA, "A", takenOver);
      Mqtt5AsyncClient onB = raceClient(id, nodeB, "B", takenOver);
      CompletableFuture<?> a = onA.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      CompletableFuture<?> b = onB.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      CompletableFuture.allOf(a, b).handle((r, e) -> null).get(20, TimeUnit.SECONDS);
      await().atMost(15, TimeUnit.SECONDS).until(() -> takenOver.size() == 1 && (onA.getState().isConnected() ^ onB.getState().isConnected()));
      Mqtt5AsyncClient winner = onA.getState().isConnected() ? onA : onB;
      BrokerPeers winnerNode = winner == onA ? nodeA : nodeB;
      assertEquals(List.of(winner == onA ? "B" : "A"), takenOver, "round " + round);
      assertEquals(winnerNode.bus.nodeId(), sessionOwner(id), "round " + round + ": the registry names the winner's node");

      List<String> got = new CopyOnWriteArrayList<>();
      winner.subscribeWith().topicFilter("race/" + round).qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().get(10, TimeUnit.SECONDS);
      awaitRouteOnlyTo(winnerNode, "race/" + round);
      publish(winner == onA ? nodeB : nodeA, "race/" + round, "to the winner", QoS.AT_LEAST_ONCE);
      await().atMost(10, TimeUnit.SECONDS).until(() -> got.equals(List.of("to the winner")));
      winner.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  /** A client that records, as {@code name}, a DISCONNECT 0x8E from the broker; it never reconnects by itself. */
  private static Mqtt5AsyncClient raceClient(String id, BrokerPeers node, String name, List<String> takenOver) {
    return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.port)
      .addDisconnectedListener(ctx -> {
        if (ctx.getCause() instanceof Mqtt5DisconnectException && ((Mqtt5DisconnectException) ctx.getCause()).getMqttMessage()
          .getReasonCode() == Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER) {
          takenOver.add(name);
        }
      }).buildAsync();
  }
}
