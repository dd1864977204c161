package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.busrelay.VisitedClusters;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three clusters (three flow buses with their own cluster ids) in a ring of MQTT bridges through one
 * Mosquitto: a → broker {@code ab/} → b → broker {@code bc/} → c → broker {@code ca/} → a. Each cluster
 * has one bridge out and one bridge in, so the bus's No Local (per bridge) does not stop the ring: only
 * the {@code flowsdk-visited} marks do.
 */
class MqttBridgeRingTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  private final List<Vertx> clusters = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Vertx v : clusters) {
      join(v.close());
    }
  }

  private MqttBridgeOptions bridge(String name, String cluster) {
    return new MqttBridgeOptions().setName(name).setCluster(cluster)
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setClientId(name)
        .setTimeoutPreset(TimeoutPreset.LOCAL));
  }

  /** A cluster whose bus {@code site/#} goes out to the broker under {@code out/} and comes in from under {@code in/}. */
  private FlowBus cluster(String id, String in, String out, List<String> seen) throws Exception {
    Vertx vertx = Vertx.vertx();
    clusters.add(vertx);
    FlowBus bus = join(FlowBus.create(vertx));
    join(bus.subscribe("site/#", m -> seen.add(id + ":" + m.payload())));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(bridge(id + "-in", id)
      .addInbound(new TopicMapping(in + "/site/#", "site/#")).toJson())));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(bridge(id + "-out", id)
      .addOutbound(new TopicMapping(out + "/site/#", "site/#")).toJson())));
    return bus;
  }

  @Test
  void givenARingOfThreeClusters_whenOnePublishes_thenEachClusterGetsItOnceAndTheLastHopDropsIt() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    FlowBus a = cluster("a", "ca", "ab", seen);
    cluster("b", "ab", "bc", seen);
    cluster("c", "bc", "ca", seen);

    join(a.publish(FlowMessage.builder("site/x").payload("hello").qos(QoS.AT_LEAST_ONCE).build()));

    await().atMost(Duration.ofSeconds(10)).until(() -> loopDrops(clusters.get(0), "a-in") == 1.0);
    assertEquals(List.of("a:hello", "b:hello", "c:hello"), seen);
    assertEquals(0.0, loopDrops(clusters.get(1), "b-in"));
    assertEquals(0.0, loopDrops(clusters.get(2), "c-in"));
  }

  @Test
  void givenABridgeOut_whenItForwards_thenTheBrokerCopyNamesTheClusterItLeft() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    cluster("a", "ca", "ab", seen);
    List<FlowMessage> atB = new CopyOnWriteArrayList<>();
    Vertx b = Vertx.vertx();
    clusters.add(b);
    FlowBus busB = join(FlowBus.create(b));
    join(busB.subscribe("site/#", atB::add));
    join(b.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(bridge("b-in", "b")
      .addInbound(new TopicMapping("ab/site/#", "site/#")).toJson())));

    FlowBus busA = join(FlowBus.create(clusters.get(0)));
    join(busA.publish(FlowMessage.builder("site/y").payload("marked").header("tenant", "t1").qos(QoS.AT_LEAST_ONCE).build()));

    await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 1);
    assertEquals(List.of("tenant=t1", VisitedClusters.HEADER + "=a"), atB.get(0).headers().stream().map(Object::toString).toList());
  }

  private static double loopDrops(Vertx vertx, String bridge) {
    Counter c = FlowMetrics.registry(vertx).find("flowsdk.mqtt.bridge.dropped").tag("bridge", bridge).tag("reason", "loop").counter();
    return c == null ? 0.0 : c.count();
  }
}
