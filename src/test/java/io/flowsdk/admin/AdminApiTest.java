package io.flowsdk.admin;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.admin.AdminNode.Answer;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.ManagementVerticle;
import io.flowsdk.testing.TestPki;
import io.flowsdk.topic.Topics;
import io.flowsdk.util.BearerTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API of one node with a broker: what it lists, what it does, and how it refuses. */
class AdminApiTest {

  private Vertx vertx;
  private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Mqtt5BlockingClient c : clients) {
      if (c.getState().isConnected()) {
        try {
          c.disconnect();
        } catch (com.hivemq.client.mqtt.exceptions.MqttClientStateException disconnectedMeanwhile) {
          // a test disconnected it through the admin API; the broker's DISCONNECT may land just now
        }
      }
    }
    join(vertx.close());
  }

  private Mqtt5BlockingClient connect(AdminNode node, String clientId) {
    Mqtt5BlockingClient client = node.connect(clientId, new CompletableFuture<>());
    clients.add(client);
    return client;
  }

  private static List<String> values(JsonArray items, String key) {
    List<String> values = new ArrayList<>();
    items.forEach(item -> values.add(String.valueOf(((JsonObject) item).getValue(key))));
    return values;
  }

  @Test
  void givenAConnectedClient_whenAnOperatorDisconnectsIt_thenItHearsAdministrativeActionAndItsSessionStays() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
    Mqtt5BlockingClient client = node.connect("sensor-1", disconnected);
    clients.add(client);
    client.subscribeWith().topicFilter("plant/+/temp").qos(MqttQos.AT_LEAST_ONCE).send();

    JsonObject listed = node.get("/api/mqtt/clients");
    assertEquals(1, listed.getLong("total"));
    JsonObject item = listed.getJsonArray("items").getJsonObject(0);
    assertEquals("sensor-1", item.getString("clientId"));
    assertEquals(node.nodeId, item.getString("node"));
    assertEquals(5, item.getInteger("mqttVersion"));
    assertEquals(1, item.getInteger("subscriptionCount"));

    JsonObject details = node.get("/api/mqtt/clients/sensor-1");
    assertEquals(node.nodeId, details.getString("node"));
    JsonObject sub = details.getJsonObject("result").getJsonArray("subscriptions").getJsonObject(0);
    assertEquals("plant/+/temp", sub.getString("filter"));
    assertEquals(1, sub.getInteger("qos"));

    Answer answer = node.call("POST", "/api/mqtt/clients/sensor-1/disconnect");
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnected.get(10, TimeUnit.SECONDS));

    await().atMost(10, TimeUnit.SECONDS).until(() -> node.get("/api/mqtt/clients").getLong("total") == 0);
    JsonObject away = node.get("/api/mqtt/sessions?connected=false");
    assertEquals(List.of("sensor-1"), values(away.getJsonArray("items"), "clientId"), "the session outlives the connection");
    assertEquals(404, node.call("POST", "/api/mqtt/clients/sensor-1/disconnect").status(), "no longer connected");
  }

  @Test
  void givenThreeClients_whenListedByPageAndPrefix_thenTheyComeSortedAndCut() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    for (String id : List.of("c-3", "c-1", "other", "c-2")) {
      connect(node, id);
    }
    JsonObject page = node.get("/api/mqtt/clients?clientId=c-&offset=1&limit=1");
    assertEquals(3, page.getLong("total"));
    assertEquals(List.of("c-2"), values(page.getJsonArray("items"), "clientId"));
    assertEquals(List.of("c-1", "c-2", "c-3", "other"), values(node.get("/api/mqtt/clients").getJsonArray("items"), "clientId"));
  }

  @Test
  void givenRetainedMessages_whenListedAndOneDeleted_thenOnlyTheOtherIsLeft() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    Mqtt5BlockingClient client = connect(node, "publisher");
    for (String topic : List.of("state/b", "state/a", "other/x")) {
      client.publishWith().topic(topic).payload(("on " + topic).getBytes(StandardCharsets.UTF_8)).retain(true)
        .qos(MqttQos.AT_LEAST_ONCE).send();
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> node.get("/api/mqtt/retained?filter=state/%23").getLong("total") == 2);
    JsonObject retained = node.get("/api/mqtt/retained?filter=state/%23");
    assertEquals(List.of("state/a", "state/b"), values(retained.getJsonArray("items"), "topic"));
    assertEquals("on state/a", retained.getJsonArray("items").getJsonObject(0).getString("payload"));
    client.publishWith().topic("bin/x").payload(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xfe}).retain(true)
      .qos(MqttQos.AT_LEAST_ONCE).send();
    JsonObject binary = node.get("/api/mqtt/retained?filter=bin/x").getJsonArray("items").getJsonObject(0);
    assertEquals(List.of(3, "+//+"), List.of(binary.getInteger("payloadBytes"), binary.getString("payloadBase64")), binary.encode());
    assertEquals(null, binary.getString("payload"), "not UTF-8: no text");

    assertEquals(200, node.call("DELETE", "/api/mqtt/retained?topic=state/a").status());
    Answer again = node.call("DELETE", "/api/mqtt/retained?topic=state/a");
    assertEquals(404, again.status());
    assertEquals("no retained message on topic 'state/a'", again.body().getString("message"));
    assertEquals(List.of("bin/x", "other/x", "state/b"), values(node.get("/api/mqtt/retained").getJsonArray("items"), "topic"));
  }

  @Test
  void givenASubscription_thenTheBusRoutesShowItsFilterAndRouteOfNamesTheNode() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    connect(node, "s").subscribeWith().topicFilter("plant/#").send();
    JsonObject routes = node.get("/api/bus/routes").getJsonArray("nodes").getJsonObject(0);
    assertEquals(node.nodeId, routes.getString("node"));
    assertEquals(new JsonArray().add("plant/#"), routes.getJsonObject("result").getJsonArray("filters"));
    assertEquals(new JsonArray().add(node.nodeId), node.get("/api/bus/route?topic=plant/1").getJsonArray("nodes"));
    assertEquals(new JsonArray(), node.get("/api/bus/route?topic=office/1").getJsonArray("nodes"));
  }

  @Test
  void givenBadRequests_thenEachIs4xxWithAJsonErrorNamingTheProblem() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    assertRefused(node.call("GET", "/api/mqtt/clients?limit=0"), 400, "INVALID",
      "query parameter 'limit' must be a whole number from 1 to 1000, not '0'");
    assertRefused(node.call("GET", "/api/mqtt/clients?offset=2147483647"), 400, "INVALID",
      "query parameter 'offset' must be a whole number from 0 to 100000, not '2147483647'");
    assertRefused(node.call("GET", "/api/mqtt/retained?filter=a/%23/b"), 400, "INVALID",
      "query parameter 'filter' is not valid: " + Topics.filterProblem("a/#/b"));
    assertRefused(node.call("GET", "/api/mqtt/clients?page=2"), 400, "INVALID",
      "unknown query parameter [page] of GET /api/mqtt/clients; it takes [clientId, limit, offset]");
    assertRefused(node.call("GET", "/api/bus/route"), 400, "INVALID", "query parameter 'topic' is required");
    Answer wildcard = node.call("GET", "/api/bus/route?topic=a/%23");
    assertEquals(400, wildcard.status());
    assertEquals("INVALID", wildcard.body().getString("error"));
    assertTrue(wildcard.body().getString("message").startsWith("query parameter 'topic' is not valid: "),
      wildcard.toString());
    assertRefused(node.call("GET", "/api/mqtt/clients/nobody"), 404, "NOT_FOUND", "client 'nobody' has no session on this node");
    assertRefused(node.call("GET", "/api/nothing-here"), 404, "NOT_FOUND",
      "no admin route GET /api/nothing-here; the routes are listed in /api/openapi.json");
    MeterRegistry registry = FlowMetrics.registry(vertx);
    await().atMost(5, TimeUnit.SECONDS).until(() -> registry.counter("flowsdk_admin_requests_total", "status", "400").count() == 6
      && registry.counter("flowsdk_admin_requests_total", "status", "404").count() == 2);
  }

  @Test
  void givenTokens_thenNoOrUnknownTokenIs401AndAReadTokenMayReadButNotAct() throws Exception {
    ManagementOptions options = new ManagementOptions()
      .addAdminToken(new AdminTokenOptions().setName("viewer").setSha256(BearerTokens.sha256("read-secret")))
      .addAdminToken(new AdminTokenOptions().setName("ops").setSha256(BearerTokens.sha256("admin-secret")).setRole(AdminRole.ADMIN));
    AdminNode node = AdminNode.start(vertx, options);
    connect(node, "c");
    assertRefused(node.call("GET", "/api/mqtt/clients"), 401, "NOT_AUTHORIZED",
      "the admin API needs the header 'Authorization: Bearer <token>'");
    assertRefused(node.call("GET", "/api/mqtt/clients", "guess"), 401, "NOT_AUTHORIZED", "unknown bearer token");
    assertEquals(200, node.call("GET", "/api/mqtt/clients", "read-secret").status());
    assertRefused(node.call("POST", "/api/mqtt/clients/c/disconnect", "read-secret"), 403, "NOT_AUTHORIZED",
      "POST /api/mqtt/clients/:clientId/disconnect needs the ADMIN role; this token has READ");
    assertEquals(200, node.call("POST", "/api/mqtt/clients/c/disconnect", "admin-secret").status());
  }

  @Test
  void givenTheAdminApiOffLoopback_whenNoTlsOrNoTokens_thenTheListenerRefusesToDeploySayingWhy() {
    ManagementOptions open = new ManagementOptions().setHost("0.0.0.0").setPort(0);
    Exception e = assertThrows(Exception.class,
      () -> join(vertx.deployVerticle(new ManagementVerticle(),
        new DeploymentOptions().setConfig(open.toJson()))));
    assertEquals("the admin API is served off the loopback interface only with TLS and bearer tokens; the listener on 0.0.0.0"
      + " has no TLS (tlsCertPath, tlsKeyPath) and no bearer tokens (adminTokens): set them, listen on 127.0.0.1,"
      + " or set \"admin\": false", e.getCause().getMessage());
    ManagementOptions tlsOnly = new ManagementOptions().setHost("10.0.0.1").setTlsCertPath("c.pem").setTlsKeyPath("k.pem");
    Exception e2 = assertThrows(Exception.class, tlsOnly::checkAdminExposure);
    assertTrue(e2.getMessage().contains("the listener on 10.0.0.1 has no bearer tokens (adminTokens)"), e2.getMessage());
    new ManagementOptions().setHost("10.0.0.1").setAdmin(false).checkAdminExposure();
  }

  @Test
  void givenTlsFiles_thenTheAdminApiIsServedOverHttps(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    ManagementOptions tls = new ManagementOptions().setTlsCertPath(pki.serverCert().toString())
      .setTlsKeyPath(pki.serverKey().toString());
    AdminNode node = AdminNode.start(vertx, tls);
    HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(pki.caCert().toString())));
    String body = join(https.request(HttpMethod.GET, node.httpPort, "127.0.0.1", "/api/cluster")
      .compose(r -> r.send()).compose(r -> r.body())).toString();
    assertEquals(node.nodeId, new JsonObject(body).getJsonArray("members").getJsonObject(0).getString("node"));
  }

  private static void assertRefused(Answer answer, int status, String error, String message) {
    assertEquals(status, answer.status(), answer.toString());
    assertEquals(error, answer.body().getString("error"));
    assertEquals(message, answer.body().getString("message"));
    assertNull(answer.body().getValue("items"));
  }
}
