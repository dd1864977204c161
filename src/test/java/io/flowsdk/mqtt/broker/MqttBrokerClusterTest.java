package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.testing.TestCluster;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.ackNext;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.connect;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.handedOn;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.nextPublish;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.publish;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.subscribe;
import static io.flowsdk.mqtt.broker.MqttBrokerSharedHandOnTest.text;
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
    double before = handedOn(nodeA);
    RawMqttClient a = connect(nodeA, "far-a", true, 300, 10, false);
    subscribe(a, "$share/far/jobs/#", MqttQoS.AT_LEAST_ONCE);
    subscribe(a, "far-a/marker", MqttQoS.AT_LEAST_ONCE);
    publish(nodeA, "jobs/far", "job", QoS.AT_LEAST_ONCE);
    assertEquals("job", text(nextPublish(a)));
    RawMqttClient b = connect(nodeB, "far-b", true, 0, 10, false);
    try {
      subscribe(b, "$share/far/jobs/#", MqttQoS.AT_LEAST_ONCE);
      subscribe(b, "far-b/marker", MqttQoS.AT_LEAST_ONCE);
      await().atMost(Duration.ofSeconds(20))
        .until(() -> join(nodeA.bus.routeOf("jobs/far")).contains(nodeB.bus.nodeId()));

      join(a.close()); // no PUBACK

      assertEquals("job", ackNext(b));
      publish(nodeA, "far-b/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(b), "the message came once");
      assertEquals(before + 1, handedOn(nodeA));
    } finally {
      join(b.close());
    }
    RawMqttClient back = connect(nodeA, "far-a", false, 300, 10, true);
    try {
      publish(nodeA, "far-a/marker", "marker", QoS.AT_LEAST_ONCE);
      assertEquals("marker", ackNext(back), "the message the member on B took is not sent again on resume");
    } finally {
      join(back.send(MqttMessageBuilders.disconnect().build()));
      join(back.close());
    }
  }
}
