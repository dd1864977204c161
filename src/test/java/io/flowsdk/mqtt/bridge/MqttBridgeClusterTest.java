package io.flowsdk.mqtt.bridge;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bridge deployed on one clustered node, its bus peers on another. */
class MqttBridgeClusterTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  static Vertx bridgeNode;
  static Vertx otherNode;

  @BeforeAll
  static void startCluster() throws Exception {
    TestCluster cluster = new TestCluster();
    bridgeNode = join(cluster.startNode());
    otherNode = join(cluster.startNode());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    join(otherNode.close());
    join(bridgeNode.close());
  }

  @Test
  void givenBridgeOnNodeA_whenBrokerAndNodeBExchangeMessagesAndRequests_thenTheyCrossTheCluster() throws Exception {
    MqttBridgeOptions options = new MqttBridgeOptions().setName("cluster-bridge")
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setVersion(MqttVersion.V5)
        .setClientId("cluster-bridge").setTimeoutPreset(TimeoutPreset.LOCAL))
      .addInbound(new TopicMapping("site/in/#", "plant/in/#"))
      .addOutbound(new TopicMapping("site/out/#", "plant/out/#"))
      .addInboundRequest(new RequestMapping("site/svc/#", "plant.svc"))
      .addOutboundRequest(new RequestMapping("echo/svc", "site.echo"));
    FlowBus busA = join(FlowBus.create(bridgeNode));
    FlowBus busB = join(FlowBus.create(otherNode));
    List<FlowMessage> onB = new CopyOnWriteArrayList<>();
    join(busB.subscribe(new SubscriptionOptions().setFilter("plant/in/#").setQos(QoS.AT_LEAST_ONCE), m -> {
      onB.add(m);
      return Future.succeededFuture();
    }));
    // node B answers the requests arriving from the broker
    join(busB.serve("plant.svc", request -> Future.succeededFuture(FlowMessage.builder("answer")
      .payload("B saw " + request.payload()).build())));
    join(bridgeNode.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(busA.routeOf("plant/in/x")).contains(busB.nodeId()));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(busB.routeOf("plant/out/x")).contains(busA.nodeId()));

    HivePeer peer = HivePeer.connect(broker, MqttVersion.V5, "cluster-peer");
    try {
      peer.subscribe("site/out/#", 1);
      peer.publish("site/in/line1", "from broker", 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> onB.size() == 1);
      assertEquals("plant/in/line1", onB.get(0).topic());
      assertEquals(QoS.AT_LEAST_ONCE, onB.get(0).qos());
      assertEquals(busA.nodeId(), onB.get(0).origin().node());

      join(busB.publish(FlowMessage.builder("plant/out/line2").payload("from B").qos(QoS.AT_LEAST_ONCE).build()));
      await().atMost(Duration.ofSeconds(10)).until(() -> peer.received.size() == 1);
      assertEquals(new HivePeer.Received("site/out/line2", "from B", 1), peer.received.get(0));

      // a broker request served by node B
      List<Mqtt5Publish> replies = new CopyOnWriteArrayList<>();
      peer.subscribe("peer/replies", 1, replies::add);
      peer.v5().publishWith().topic("site/svc/lookup").qos(MqttQos.AT_LEAST_ONCE).payload("q1".getBytes(StandardCharsets.UTF_8))
        .responseTopic("peer/replies").correlationData("c-9".getBytes(StandardCharsets.UTF_8)).send().get();
      await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
      assertEquals("B saw q1", HivePeer.utf8(replies.get(0).getPayloadAsBytes()));
      assertEquals("c-9", StandardCharsets.UTF_8.decode(replies.get(0).getCorrelationData().orElseThrow()).toString());

      // a request from node B answered by an MQTT 5 responder at the broker
      peer.subscribe("echo/svc", 1, request -> peer.v5().publishWith().topic(request.getResponseTopic().orElseThrow())
        .correlationData(request.getCorrelationData().orElseThrow()).payload(request.getPayloadAsBytes()).send());
      FlowMessage echoed = join(busB.request("site.echo", FlowMessage.builder("q").payload("ping").build(), Duration.ofSeconds(5)));
      assertEquals("ping", echoed.payload().toString());
    } finally {
      peer.close();
    }
  }
}
