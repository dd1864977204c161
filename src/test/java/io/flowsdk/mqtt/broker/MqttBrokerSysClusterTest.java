package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.testing.TestCluster;
import io.netty.handler.codec.mqtt.MqttMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cluster's $SYS totals on two clustered nodes, every second here: the sum over the members only. */
class MqttBrokerSysClusterTest {

  private BrokerPeers nodeA;
  private BrokerPeers nodeB;

  @AfterEach
  void stop() throws Exception {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close(); // closing a closed Vert.x again is a no-op
    }
  }

  /** Node A (the oldest) with one client and one publish, node B with two and one; {@code heard} gets what B's bus hears of them. */
  private void clusterWithClients(Map<String, String> heard) throws Exception {
    TestCluster cluster = new TestCluster();
    nodeA = BrokerPeers.start(join(cluster.startNode()), BrokerPeers.onFreePort().setSysIntervalSeconds(1));
    nodeB = BrokerPeers.start(join(cluster.startNode()), BrokerPeers.onFreePort().setSysIntervalSeconds(1));
    join(nodeB.bus.subscribe("$SYS/broker/#", (FlowMessage m) -> heard.put(m.topic(), m.payload().toString())));
    connected(nodeA, "sys-a");
    connected(nodeB, "sys-b1");
    connected(nodeB, "sys-b2");
    nodeA.mosquittoPub("mqttv5", "-q", "1", "-t", "sys/a", "-m", "a");
    nodeB.mosquittoPub("mqttv5", "-q", "1", "-t", "sys/b", "-m", "b");
    // A publishes them, with B's figures of its last round
    awaitTotals(heard, "3", "2");
  }

  private static void awaitTotals(Map<String, String> heard, String clientsConnected, String messagesReceived) {
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(List.of(clientsConnected, messagesReceived),
      List.of(String.valueOf(heard.get("$SYS/broker/clients/connected")), String.valueOf(heard.get("$SYS/broker/messages/received")))));
  }

  @Test
  void givenClientsOnBothNodes_thenTheTotalsAreTheirSum_andWhenTheOldestNodeLeavesTheyDropToTheOthersFigures() throws Exception {
    Map<String, String> heard = new ConcurrentHashMap<>();
    clusterWithClients(heard);
    nodeA.close(); // leaves the cluster; its retained figures stay until they expire, B publishes the totals from now on
    awaitTotals(heard, "2", "1");
  }

  @Test
  void givenTheBrokerOfTheOldestNodeCloses_whileTheNodeStays_thenItClearsItsFiguresAndTheOtherNodeTakesOverTheTotals()
    throws Exception {
    Map<String, String> heard = new ConcurrentHashMap<>();
    clusterWithClients(heard);
    String nodeOfA = "$SYS/broker/nodes/" + nodeA.bus.nodeId() + "/";
    join(nodeA.broker.close());
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(List.of("", ""),
      List.of(String.valueOf(heard.get(nodeOfA + "clients/connected")), String.valueOf(heard.get(nodeOfA + "uptime")))));
    awaitTotals(heard, "2", "1");
  }

  /** A client that stays connected until its node's Vert.x closes. */
  private static void connected(BrokerPeers peers, String clientId) throws Exception {
    RawMqttClient client = peers.rawConnecting(peers.port, true, BrokerPeers.connect(clientId, true, true, 0));
    assertEquals(MqttMessageType.CONNACK, join(client.next(WAIT)).fixedHeader().messageType());
  }
}
