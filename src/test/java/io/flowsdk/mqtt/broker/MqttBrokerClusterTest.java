package io.flowsdk.mqtt.broker;

import io.flowsdk.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.assertAwayMemberStandsBy;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.assertHandedOnOnceAndNotResent;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two clustered nodes, a broker on each: one broker for the clients of both; a shared subscriber leaving node A
 * hands its unacknowledged message to the member on node B.
 */
class MqttBrokerClusterTest {

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

  @Test
  void givenASubscriberOnNodeB_whenAClientOnNodeAPublishesAtQos1And2_thenBReceivesBoth() throws Exception {
    Process sub = nodeB.mosquittoSub("mqttv5", "cluster/live/#", "-q", "2", "-C", "2", "-F", "%q %t %p");
    await().atMost(10, TimeUnit.SECONDS)
      .until(() -> join(nodeA.bus.routeOf("cluster/live/x")).contains(nodeB.bus.nodeId()));
    nodeA.mosquittoPub("mqttv311", "-q", "1", "-t", "cluster/live/1", "-m", "one");
    nodeA.mosquittoPub("mqttv5", "-q", "2", "-t", "cluster/live/2", "-m", "two");
    assertEquals("1 cluster/live/1 one\n2 cluster/live/2 two", BrokerPeers.output(sub));
  }

  @Test
  void givenARetainedMessageSetOnNodeA_whenANewSubscriberComesToNodeB_thenItReceivesIt() throws Exception {
    nodeA.mosquittoPub("mqttv5", "-q", "1", "-r", "-t", "cluster/retained/a", "-m", "kept");
    Process sub = nodeB.mosquittoSub("mqttv311", "cluster/retained/+", "-q", "1", "-C", "1", "-F", "%r %t %p");
    assertEquals("1 cluster/retained/a kept", BrokerPeers.output(sub));
  }

  @Test
  void givenMembersOnTwoNodes_whenTheOneOnAHoldingAQos1MessageLeavesWithoutPuback_thenTheOneOnBGetsItOnce() throws Exception {
    assertHandedOnOnceAndNotResent(nodeA, nodeB, "far");
  }

  @Test
  void givenAPersistentMemberOnAAway_whenTheGroupGetsMessagesOnA_thenTheConnectedMemberOnBTakesEach() throws Exception {
    assertAwayMemberStandsBy(nodeA, nodeB, "spare");
  }
}
