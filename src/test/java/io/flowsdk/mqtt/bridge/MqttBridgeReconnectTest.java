package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bridge across a broker crash: it reconnects, and without a session it subscribes again. */
class MqttBridgeReconnectTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenTheBrokerCrashesAndRestartsWithoutSessions_whenTheBridgeReconnects_thenItSubscribesAgainAndForwardsBothWays()
    throws Exception {
    MqttBridgeOptions options = new MqttBridgeOptions().setName("bridge-crash")
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setVersion(MqttVersion.V5)
        .setClientId("bridge-crash").setTimeoutPreset(TimeoutPreset.LOCAL)
        .setReconnectInitialDelayMillis(50).setReconnectMaxDelayMillis(200))
      .addInbound(new TopicMapping("crash/in/#", "bus/in/#"))
      .addOutbound(new TopicMapping("crash/out/#", "bus/out/#"));
    FlowBus bus = join(FlowBus.create(vertx));
    List<String> onBus = new CopyOnWriteArrayList<>();
    join(bus.subscribe("bus/in/#", m -> onBus.add(m.payload().toString())));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));

    broker.kill();
    broker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> FlowMetrics.registry(vertx).get("flowsdk.mqtt.bridge.resubscribes")
      .tag("bridge", "bridge-crash").counter().count() == 1.0);
    await().atMost(Duration.ofSeconds(10)).until(() -> FlowMetrics.registry(vertx).get("flowsdk.mqtt.bridge.connected")
      .tag("bridge", "bridge-crash").gauge().value() == 1.0);

    HivePeer peer = HivePeer.connect(broker, MqttVersion.V5, "crash-peer");
    try {
      peer.subscribe("crash/out/#", 1);
      // the resubscription is complete once a message published after it crosses
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        peer.publish("crash/in/x", "after restart", 1);
        return onBus.contains("after restart");
      });
      join(bus.publish(FlowMessage.builder("bus/out/y").payload("to broker").qos(QoS.AT_LEAST_ONCE).build()));
      await().atMost(Duration.ofSeconds(10)).until(() -> peer.received.size() == 1);
      assertEquals(new HivePeer.Received("crash/out/y", "to broker", 1), peer.received.get(0));
    } finally {
      peer.close();
    }
  }
}
