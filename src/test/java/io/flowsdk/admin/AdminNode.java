package io.flowsdk.admin;

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
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static io.flowsdk.testing.Futures.join;

/** A node with a management listener (admin API) and an MQTT broker on free loopback ports, and an HTTP client for its API. */
final class AdminNode {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Vertx vertx;
  final String nodeId;
  final int httpPort;
  final int mqttPort;

  private AdminNode(Vertx vertx, String nodeId, int httpPort, int mqttPort) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.httpPort = httpPort;
    this.mqttPort = mqttPort;
  }

  static AdminNode start(Vertx vertx, ManagementOptions management) throws Exception {
    return start(vertx, management, List.of());
  }

  /** A node whose broker listens on {@code moreListeners} too, beside its TCP port. */
  static AdminNode start(Vertx vertx, ManagementOptions management, List<MqttListenerOptions> moreListeners) throws Exception {
    ManagementVerticle verticle = new ManagementVerticle();
    join(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(management.setPort(0).toJson())));
    int mqttPort = FreePorts.loopback();
    List<MqttListenerOptions> listeners = new ArrayList<>(moreListeners);
    listeners.add(0, new MqttListenerOptions().setPort(mqttPort));
    MqttBrokerOptions broker = new MqttBrokerOptions().setListeners(listeners);
    join(vertx.deployVerticle(MqttBrokerVerticle.class.getName(), new DeploymentOptions().setConfig(broker.toJson())));
    return new AdminNode(vertx, join(FlowBus.create(vertx)).nodeId(), verticle.actualPort(), mqttPort);
  }

  /** The node {@code vertx} runs already, its management listener on {@code httpPort} and its broker on {@code mqttPort}. */
  static AdminNode of(Vertx vertx, int httpPort, int mqttPort) throws Exception {
    return new AdminNode(vertx, join(FlowBus.create(vertx)).nodeId(), httpPort, mqttPort);
  }

  /** An HTTP answer: its status and its body as JSON. */
  record Answer(int status, JsonObject body) {
  }

  Answer call(String method, String path) throws Exception {
    return call(method, path, null);
  }

  Answer call(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
      .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), new JsonObject(response.body()));
  }

  /** A 200 answer's body; fails the test with the answer otherwise. */
  JsonObject get(String path) throws Exception {
    Answer answer = call("GET", path);
    if (answer.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + answer);
    }
    return answer.body();
  }

  /** A connected MQTT 5 client whose session outlives it by a minute; {@code disconnected} completes with the reason the broker gave. */
  Mqtt5BlockingClient connect(String clientId, CompletableFuture<Mqtt5DisconnectReasonCode> disconnected) {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(mqttPort)
      .addDisconnectedListener(ctx -> {
        if (ctx.getCause() instanceof Mqtt5DisconnectException) {
          disconnected.complete(((Mqtt5DisconnectException) ctx.getCause()).getMqttMessage().getReasonCode());
        } else {
          disconnected.completeExceptionally(ctx.getCause());
        }
      })
      .buildBlocking();
    client.connectWith().sessionExpiryInterval(60).send();
    return client;
  }

  /** A mosquitto_sub in a process of its own, subscribed at QoS 1 to {@code filter} on this node's broker. */
  Process subscriberProcess(String clientId, String filter) throws Exception {
    return new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(mqttPort), "-V", "mqttv5",
      "-i", clientId, "-q", "1", "-t", filter).redirectErrorStream(true).start();
  }

  /** The consumers {@code GET /api/queues/<queue>} counts: the cluster's, and each node's by node id. */
  Map<String, Long> consumers(String queue) throws Exception {
    JsonObject answer = get("/api/queues/" + queue);
    Map<String, Long> consumers = new TreeMap<>();
    consumers.put("all", answer.getLong("consumers"));
    answer.getJsonArray("nodes").forEach(n -> consumers.put(((JsonObject) n).getString("node"), ((JsonObject) n).getLong("consumers")));
    return consumers;
  }
}
