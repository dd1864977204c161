package io.flowsdk.admin;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.admin.AdminNode.Answer;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.middleware.MiddlewareOptions;
import io.flowsdk.middleware.MiddlewareVerticle;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.ManagementVerticle;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.table.TableOptions;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two clustered nodes: the node asked answers for both, from each node's own admin agent over the bus. */
class AdminClusterTest {

  private final TestCluster cluster = new TestCluster();
  private final List<Vertx> nodes = new ArrayList<>();
  private Mqtt5BlockingClient client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null && client.getState().isConnected()) {
      client.disconnect();
    }
    for (Vertx v : nodes) {
      join(v.close());
    }
  }

  private AdminNode start() throws Exception {
    Vertx vertx = join(cluster.startNode());
    nodes.add(vertx);
    return AdminNode.start(vertx, new ManagementOptions());
  }

  @Test
  void givenAClientOnNodeB_whenNodeAIsAsked_thenItListsAndDisconnectsItAndShowsBothNodes() throws Exception {
    AdminNode a = start();
    AdminNode b = start();
    await().atMost(20, TimeUnit.SECONDS).until(() -> a.get("/api/cluster").getJsonArray("members").size() == 2);
    CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
    client = b.connect("far-away", disconnected);
    client.subscribeWith().topicFilter("line/4/#").send();

    JsonObject listed = a.get("/api/mqtt/clients");
    assertEquals(1, listed.getLong("total"), listed.encode());
    assertEquals(b.nodeId, listed.getJsonArray("items").getJsonObject(0).getString("node"));
    assertEquals(new JsonArray(), listed.getJsonArray("errors"));
    assertEquals(b.nodeId, a.get("/api/mqtt/clients/far-away").getString("node"));

    JsonObject routes = a.get("/api/bus/routes");
    assertEquals(Set.of(a.nodeId, b.nodeId), nodesOf(routes));
    for (Object each : routes.getJsonArray("nodes")) {
      JsonObject node = (JsonObject) each;
      JsonArray expected = node.getString("node").equals(b.nodeId) ? new JsonArray().add("line/4/#") : new JsonArray();
      assertEquals(expected, node.getJsonObject("result").getJsonArray("filters"), node.encode());
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> a.get("/api/bus/route?topic=line/4/x").getJsonArray("nodes")
      .equals(new JsonArray().add(b.nodeId)));

    JsonObject verticles = a.get("/api/nodes");
    assertEquals(Set.of(a.nodeId, b.nodeId), nodesOf(verticles));
    for (Object each : verticles.getJsonArray("nodes")) {
      Set<String> deployed = new TreeSet<>();
      ((JsonObject) each).getJsonObject("result").getJsonArray("verticles")
        .forEach(v -> deployed.add(((JsonObject) v).getString("verticle")));
      assertTrue(deployed.contains(ManagementVerticle.class.getName()) && deployed.contains(MqttBrokerVerticle.class.getName()),
        deployed.toString());
    }

    Answer answer = a.call("POST", "/api/mqtt/clients/far-away/disconnect");
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(b.nodeId, answer.body().getString("node"));
    assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnected.get(10, TimeUnit.SECONDS));
  }

  @Test
  void givenAClusteredQueueAndTableOnBothNodes_thenEachIsListedOnceWithTheClustersItemsAndBothNodesCounters() throws Exception {
    AdminNode a = start();
    AdminNode b = start();
    await().atMost(20, TimeUnit.SECONDS).until(() -> a.get("/api/cluster").getJsonArray("members").size() == 2);
    MiddlewareOptions middleware = new MiddlewareOptions().addQueue("jobs", new QueueOptions()).addTable("config", new TableOptions());
    for (AdminNode node : List.of(a, b)) {
      join(node.vertx.deployVerticle(MiddlewareVerticle.class.getName(), new DeploymentOptions().setConfig(middleware.toJson())));
    }
    join(NodeMiddleware.of(a.vertx).queue("jobs").orElseThrow().enqueue(Buffer.buffer("from a"), 0, Duration.ZERO));
    join(NodeMiddleware.of(b.vertx).queue("jobs").orElseThrow().enqueue(Buffer.buffer("from b"), 0, Duration.ZERO));

    JsonObject listed = a.get("/api/queues");
    assertEquals(2, listed.getLong("total"), "the queue and its dead letters: " + listed.encode());
    assertEquals("jobs.dlq", listed.getJsonArray("items").getJsonObject(1).getString("name"));
    JsonObject jobs = listed.getJsonArray("items").getJsonObject(0);
    assertEquals("jobs", jobs.getString("name"));
    assertEquals(2, jobs.getLong("ready"), "the cluster's items, once");
    assertEquals(2, jobs.getLong("enqueued"), "each node's counter, summed");
    assertEquals(Set.of(a.nodeId, b.nodeId), nodesOf(jobs));
    for (Object each : jobs.getJsonArray("nodes")) {
      assertEquals(1, ((JsonObject) each).getLong("enqueued"), jobs.encode());
    }
    assertEquals(jobs.getLong("ready"), b.get("/api/queues/jobs").getLong("ready"));

    join(NodeMiddleware.of(a.vertx).table("config").orElseThrow().put("k", Buffer.buffer("v")));
    JsonObject tables = b.get("/api/tables");
    assertEquals(1, tables.getLong("total"), tables.encode());
    JsonObject config = tables.getJsonArray("items").getJsonObject(0);
    assertEquals(1, config.getLong("entries"));
    assertEquals(Set.of(a.nodeId, b.nodeId), nodesOf(config));
  }

  @Test
  void givenAQueueConsumerOnEachNode_whenOneIsKilledAndTheOtherLeaves_thenTheClustersCountFollows() throws Exception {
    AdminNode a = start();
    AdminNode b = start();
    await().atMost(20, TimeUnit.SECONDS).until(() -> a.get("/api/cluster").getJsonArray("members").size() == 2);
    MiddlewareOptions middleware = new MiddlewareOptions().addQueue("jobs", new QueueOptions());
    for (AdminNode node : List.of(a, b)) {
      join(node.vertx.deployVerticle(MiddlewareVerticle.class.getName(), new DeploymentOptions().setConfig(middleware.toJson())));
    }
    client = a.connect("consumer-on-a", new CompletableFuture<>());
    client.subscribeWith().topicFilter("$queue/jobs").qos(MqttQos.AT_LEAST_ONCE).send();
    Process onB = b.subscriberProcess("consumer-on-b", "$queue/jobs");
    try {
      await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(Map.of("all", 2L, a.nodeId, 1L, b.nodeId, 1L), a.consumers("jobs")));
      onB.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: b sees the connection close, no DISCONNECT
      await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(Map.of("all", 1L, a.nodeId, 1L, b.nodeId, 0L), a.consumers("jobs")));
    } finally {
      onB.destroyForcibly();
    }
    client.unsubscribeWith().topicFilter("$queue/jobs").send();
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(Map.of("all", 0L, a.nodeId, 0L, b.nodeId, 0L), b.consumers("jobs")));
  }

  @Test
  void givenANodeWithoutAManagementVerticle_whenTheClusterIsListed_thenItIsNamedAsAnErrorAndTheOthersStillAnswer() throws Exception {
    AdminNode a = start();
    Vertx silent = join(cluster.startNode());
    nodes.add(silent);
    String silentId = join(FlowBus.create(silent)).nodeId();
    await().atMost(20, TimeUnit.SECONDS).until(() -> a.get("/api/cluster").getJsonArray("members").size() == 2);
    JsonObject listed = a.get("/api/mqtt/clients");
    JsonObject error = listed.getJsonArray("errors").getJsonObject(0);
    assertEquals(silentId, error.getString("node"));
    assertEquals("NO_ROUTE", error.getString("error"));
    assertEquals("node " + silentId + " answers no admin requests: it runs no management verticle", error.getString("message"));
  }

  private static Set<String> nodesOf(JsonObject eachNode) {
    Set<String> ids = new TreeSet<>();
    eachNode.getJsonArray("nodes").forEach(n -> ids.add(((JsonObject) n).getString("node")));
    return ids;
  }
}
