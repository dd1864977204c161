package io.flowsdk.mqtt.bridge;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Overlapping inbound mappings: routed by subscription identifier where the broker has them, refused where not. */
class MqttBridgeOverlapTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenOverlappingInboundMappingsOnMqtt5_whenAMessageMatchesBoth_thenEachMappingGetsItOnce() throws Exception {
    FlowBus bus = join(FlowBus.create(vertx));
    List<String> all = new CopyOnWriteArrayList<>();
    List<String> alarms = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("all/#"), m -> record(all, m)));
    join(bus.subscribe(new SubscriptionOptions().setFilter("alarms/#"), m -> record(alarms, m)));
    MqttBridgeOptions options = new MqttBridgeOptions().setName("overlap")
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setTimeoutPreset(TimeoutPreset.LOCAL))
      .addInbound(new TopicMapping("site/#", "all/#"))
      .addInbound(new TopicMapping("site/+/alarm", "alarms/+/alarm"));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    HivePeer publisher = HivePeer.connect(broker, MqttVersion.V5, "overlap-pub");

    publisher.publish("site/7/alarm", "hot", 1);
    publisher.publish("site/7/temp", "21", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> all.size() == 2 && alarms.size() == 1);
    publisher.publish("site/barrier", "-", 1); // a third message: a duplicate of the first two would arrive before it
    await().atMost(Duration.ofSeconds(10)).until(() -> all.contains("all/barrier"));
    publisher.close();

    assertEquals(List.of("all/7/alarm", "all/7/temp", "all/barrier"), all);
    assertEquals(List.of("alarms/7/alarm"), alarms);
  }

  private static Future<Void> record(List<String> into, FlowMessage m) {
    into.add(m.topic());
    return Future.succeededFuture();
  }

  @Test
  void givenAnMqtt5BrokerWithoutSubscriptionIdentifiers_whenOverlappingMappingsAreDeployed_thenDeploymentFailsNamingThem()
    throws Exception {
    MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
    server.endpointHandler(endpoint -> {
      MqttProperties connAck = new MqttProperties();
      connAck.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
      endpoint.accept(false, connAck);
    });
    join(server.listen());
    join(FlowBus.create(vertx));
    MqttBridgeOptions options = new MqttBridgeOptions().setName("overlap-noid")
      .setClient(new MqttClientOptions().setHost("127.0.0.1").setPort(server.actualPort()).setTimeoutPreset(TimeoutPreset.LOCAL))
      .addInbound(new TopicMapping("site/#", "all/#"))
      .addInbound(new TopicMapping("site/+/alarm", "alarms/+/alarm"));

    FlowException e = failure(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));

    assertEquals(FlowError.INVALID, e.error());
    assertEquals("the inbound filters 'site/#' and 'site/+/alarm' overlap and the broker does not offer subscription "
      + "identifiers, so the bridge cannot tell which mapping a message is for; make them disjoint", e.getMessage());
  }
}
