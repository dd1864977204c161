package io.flowsdk.mqtt.broker;

import io.flowsdk.node.NodeOptions;
import io.flowsdk.node.NodeVerticle;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker as a node deploys it from its configuration. */
class MqttBrokerNodeTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenANodeWithAPortOffset_whenItDeploysTheBroker_thenEachListenerPortIsShifted() throws Exception {
    int port = FreePorts.loopback();
    JsonObject broker = new JsonObject().put("name", "mqtt-broker").put("verticle", MqttBrokerVerticle.class.getName())
      .put("config", new JsonObject().put("listeners", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", port - 1))));
    NodeOptions node = new NodeOptions(new JsonObject().put("portOffset", 1).put("verticles", new JsonArray().add(broker)));
    join(vertx.deployVerticle(new NodeVerticle(node), new DeploymentOptions()));

    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q", "1",
      "-t", "node/test", "-m", "x").redirectErrorStream(true).start();
    assertTrue(pub.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
