package io.flowsdk.examples;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.bridge.MqttBridgeOptions;
import io.flowsdk.mqtt.bridge.MqttClientVerticle;
import io.flowsdk.mqtt.bridge.RequestMapping;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples quoted in docs/mqtt-bridge.md, against a real Mosquitto with mosquitto_pub as the other side. */
class MqttBridgeExamplesTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void deployBridge() throws Exception {
    FlowBus bus = join(FlowBus.create(vertx));
    List<String> received = new CopyOnWriteArrayList<>();
    join(bus.subscribe("plant/site1/#", m -> received.add(m.topic() + " = " + m.payload())));
    // tag::deploy-bridge[]
    MqttBridgeOptions options = new MqttBridgeOptions()
      .setName("site1-bridge")
      .setClient(new MqttClientOptions()
        .setHost(broker.host()).setPort(broker.port())          // the broker to bridge
        .setClientId("site1-bridge")
        .setCleanStart(false).setSessionExpiryIntervalSeconds(3600)) // QoS 1/2 messages wait for us while we reconnect
      .addInbound(new TopicMapping("site1/#", "plant/site1/#"))       // broker site1/a/b -> bus plant/site1/a/b, QoS <= 1
      .addOutbound(new TopicMapping("site1/cmd/#", "plant/site1/cmd/#")) // bus plant/site1/cmd/x -> broker site1/cmd/x
      .addOutboundRequest(new RequestMapping("site1/svc/calibrate", "site1.calibrate")); // bus request -> MQTT 5 request
    Future<String> deployed = vertx.deployVerticle(new MqttClientVerticle(),
      new DeploymentOptions().setConfig(options.toJson()));
    // end::deploy-bridge[]
    join(deployed);

    Process pub = new ProcessBuilder("mosquitto_pub", "-h", broker.host(), "-p", String.valueOf(broker.port()),
      "-V", "mqttv5", "-q", "1", "-t", "site1/line4/temp", "-m", "21.5").inheritIO().start();
    assertEquals(0, pub.waitFor(10, TimeUnit.SECONDS) ? pub.exitValue() : -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("plant/site1/line4/temp = 21.5"));
  }

  /** The JSON form in the doc is a valid bridge configuration and deploys. */
  @Test
  void nodeConfigurationEntryFromTheDoc() throws Exception {
    Matcher m = Pattern.compile("<!-- node-config -->\\s*```json\\n(.*?)\\n```", Pattern.DOTALL)
      .matcher(Files.readString(Path.of("docs/mqtt-bridge.md")));
    assertTrue(m.find(), "docs/mqtt-bridge.md has no <!-- node-config --> JSON block");
    JsonObject entry = new JsonObject(m.group(1));
    assertEquals("io.flowsdk.mqtt.bridge.MqttClientVerticle", entry.getString("verticle"));
    JsonObject config = entry.getJsonObject("config");
    config.getJsonObject("client").put("host", broker.host()).put("port", broker.port());
    MqttBridgeOptions options = new MqttBridgeOptions(config);
    assertEquals(QoS.EXACTLY_ONCE, options.getInbound().get(0).getQos());
    FlowBus bus = join(FlowBus.create(vertx));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(bus.subscribe("plant/site1/#", received::add));
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", broker.host(), "-p", String.valueOf(broker.port()),
      "-V", "mqttv311", "-q", "2", "-t", "site1/x", "-m", "v").inheritIO().start();
    assertEquals(0, pub.waitFor(10, TimeUnit.SECONDS) ? pub.exitValue() : -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertEquals(QoS.EXACTLY_ONCE, received.get(0).qos());
  }
}
