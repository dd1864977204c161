package io.flowsdk.admin.ctl;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.ManagementVerticle;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ctl} against a node with a management listener and a broker: what each command prints and its exit code. */
class FlowCtlTest {

  private Vertx vertx;
  private String url;
  private int mqttPort;
  private String nodeId;
  private Mqtt5BlockingClient client;

  /** What one run printed, and its exit code. */
  record Run(int code, String out, String err) {
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    ManagementVerticle management = new ManagementVerticle();
    join(vertx.deployVerticle(management, new DeploymentOptions().setConfig(new ManagementOptions().setPort(0).toJson())));
    mqttPort = FreePorts.loopback();
    join(vertx.deployVerticle(MqttBrokerVerticle.class.getName(), new DeploymentOptions().setConfig(new MqttBrokerOptions()
      .setListeners(List.of(new MqttListenerOptions().setPort(mqttPort))).toJson())));
    url = "http://127.0.0.1:" + management.actualPort();
    nodeId = join(FlowBus.create(vertx)).nodeId();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null && client.getState().isConnected()) {
      client.disconnect();
    }
    join(vertx.close());
  }

  private static Run ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FlowCtl.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString().trim(), err.toString().trim());
  }

  @Test
  void givenAConnectedClient_whenListedThenDisconnected_thenCtlPrintsItAndTheClientHearsAdministrativeAction() throws Exception {
    CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
    client = Mqtt5Client.builder().identifier("meter-7").serverHost("127.0.0.1").serverPort(mqttPort)
      .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause() instanceof Mqtt5DisconnectException
        ? ((Mqtt5DisconnectException) ctx.getCause()).getMqttMessage().getReasonCode() : null))
      .buildBlocking();
    client.connect();
    client.subscribeWith().topicFilter("meters/#").send();

    Run clients = ctl("clients", "--url", url);
    assertEquals(0, clients.code(), clients.toString());
    assertTrue(clients.out().startsWith("meter-7  node=" + nodeId + "  mqtt=5  from=127.0.0.1:"), clients.out());
    assertTrue(clients.out().endsWith("subscriptions=1  queued=0\n(1 of 1)"), clients.out());

    Run routes = ctl("routes", "--url", url);
    assertEquals("node " + nodeId + ": meters/#", routes.out());
    assertEquals(nodeId, ctl("routes", "--url", url, "meters/1").out());

    Run disconnect = ctl("disconnect", "--url", url, "meter-7");
    assertEquals(new Run(0, "disconnected meter-7 on node " + nodeId, ""), disconnect);
    assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnected.get(10, TimeUnit.SECONDS));

    assertEquals(new Run(1, "", "flowsdk ctl: 404 NOT_FOUND: client 'meter-7' is not connected on this node"),
      ctl("disconnect", "--url", url, "meter-7"));
  }

  @Test
  void givenCtlSubAndCtlPub_thenTheMessageArrivesAndItsRetainedCopyCanBeListedAndDeleted() throws Exception {
    CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> ctl("sub", "-p", String.valueOf(mqttPort), "-t", "ctl/#",
      "-v", "-C", "1", "-W", "20"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> join(join(FlowBus.create(vertx)).routeOf("ctl/x")).contains(nodeId));
    Run pub = ctl("pub", "-p", String.valueOf(mqttPort), "-t", "ctl/x", "-m", "hello", "-q", "1", "-r");
    assertEquals(new Run(0, "", ""), pub);
    assertEquals(new Run(0, "ctl/x hello", ""), sub.get(20, TimeUnit.SECONDS));

    assertEquals("ctl/x  hello\n(1 of 1)", ctl("retained", "list", "--url", url, "ctl/#").out());
    assertEquals(new Run(0, "deleted the retained message of ctl/x", ""), ctl("retained", "delete", "--url", url, "ctl/x"));
    assertEquals("(0 of 0)", ctl("retained", "list", "--url", url).out());
  }

  @Test
  void givenBadUsageOrNoNode_thenTheExitCodeSaysWhichAndStderrSaysWhy() {
    assertEquals(2, ctl().code());
    assertEquals(2, ctl("clients", "--limit", "many").code());
    Run timeout = ctl("sub", "-p", String.valueOf(mqttPort), "-t", "quiet", "-W", "1");
    assertEquals(new Run(4, "", "flowsdk ctl: timed out after 1 s with 0 message(s)"), timeout);
    Run refused = ctl("clients", "--url", url, "--limit", "0");
    assertEquals(new Run(1, "", "flowsdk ctl: 400 INVALID: query parameter 'limit' must be a whole number from 1 to 1000, not '0'"),
      refused);
    Run unreachable = ctl("clients", "--url", "http://127.0.0.1:" + FreePorts.loopback());
    assertEquals(3, unreachable.code(), unreachable.toString());
    assertTrue(unreachable.err().startsWith("flowsdk ctl: cannot reach the admin API at http://127.0.0.1:"), unreachable.err());
  }
}
