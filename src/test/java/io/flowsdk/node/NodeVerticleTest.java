package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeVerticleTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private static NodeOptions withVerticle(JsonObject entry) {
    return new NodeOptions(new JsonObject().put("verticles", new JsonArray().add(entry)));
  }

  @Test
  void givenEmbeddedDefault_whenParsed_thenValidAndEqualToItsOwnJson() throws Exception {
    JsonObject json = new JsonObject(Files.readString(Path.of("conf/flow.json")));
    NodeOptions options = new NodeOptions(json);
    assertEquals(json, options.toJson());
  }

  /** A free port above 8080 now (an ephemeral one), so that the management default shifted onto it can bind. */
  private static int freePortAbove8080() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void givenManagementWithoutPort_whenNodeStartsWithAnOffset_thenItListensOnTheShiftedDefault() throws Exception {
    int port = freePortAbove8080();
    NodeOptions options = withVerticle(new JsonObject().put("name", "management").put("verticle", ManagementVerticle.class.getName()))
      .setPortOffset(port - ManagementOptions.DEFAULT_PORT);
    join(vertx.deployVerticle(new NodeVerticle(options)));
    HttpClientResponse health = join(vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/health")
      .compose(r -> r.send()));
    assertEquals(200, health.statusCode());
  }

  @Test
  void givenUnknownKeyInVerticleConfig_whenNodeStarts_thenFailureNamesVerticleAndKey() {
    NodeOptions options = withVerticle(new JsonObject().put("name", "mgmt").put("verticle", ManagementVerticle.class.getName())
      .put("config", new JsonObject().put("prot", 1234)));
    FlowException e = failure(vertx.deployVerticle(new NodeVerticle(options)));
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("verticle 'mgmt'") && e.getMessage().contains("[prot]"), e.getMessage());
  }

  @Test
  void givenUnknownVerticleClass_whenNodeStarts_thenClassNotFoundNamed() {
    NodeOptions options = withVerticle(new JsonObject().put("name", "ghost").put("verticle", "io.flowsdk.NoSuchVerticle"));
    FlowException e = failure(vertx.deployVerticle(new NodeVerticle(options)));
    assertTrue(e.getMessage().contains("verticle 'ghost'") && e.getMessage().contains("class not found"), e.getMessage());
  }

  @Test
  void givenPortInUse_whenNodeStarts_thenPortInUseNamed() throws Exception {
    HttpServer squatter = join(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
    NodeOptions options = withVerticle(new JsonObject().put("name", "mgmt").put("verticle", ManagementVerticle.class.getName())
      .put("config", new JsonObject().put("port", squatter.actualPort())));
    Vertx other = Vertx.vertx();
    try {
      FlowException e = failure(other.deployVerticle(new NodeVerticle(options)));
      assertEquals("verticle 'mgmt' (io.flowsdk.node.ManagementVerticle) failed to start: cannot listen on 127.0.0.1:"
        + squatter.actualPort() + ": port already in use", e.getMessage());
    } finally {
      join(other.close());
    }
  }

  @Test
  void givenTwoVerticlesOnOnePort_whenNodeStarts_thenItFailsNamingBothInsteadOfSharingThePort() throws Exception {
    int port = freePortAbove8080();
    JsonObject config = new JsonObject().put("port", port);
    NodeOptions options = new NodeOptions(new JsonObject().put("verticles", new JsonArray()
      .add(new JsonObject().put("name", "one").put("verticle", ManagementVerticle.class.getName()).put("config", config))
      .add(new JsonObject().put("name", "two").put("verticle", ManagementVerticle.class.getName()).put("config", config))));
    FlowException e = failure(vertx.deployVerticle(new NodeVerticle(options)));
    assertEquals("verticles 'one' and 'two' both listen on port " + port + " (127.0.0.1:" + port + " and 127.0.0.1:" + port
      + "); give one of them another port", e.getMessage());
    assertTrue(vertx.deploymentIDs().isEmpty(), "nothing stays deployed: " + vertx.deploymentIDs());
  }

  @Test
  void givenAHostThatIsNotThisMachines_whenNodeStarts_thenItSaysSoInsteadOfPortInUse() {
    NodeOptions options = withVerticle(new JsonObject().put("name", "mgmt").put("verticle", ManagementVerticle.class.getName())
      .put("config", new JsonObject().put("host", "10.99.99.99").put("port", 0).put("admin", false)));
    FlowException e = failure(vertx.deployVerticle(new NodeVerticle(options)));
    assertEquals("verticle 'mgmt' (io.flowsdk.node.ManagementVerticle) failed to start: cannot listen on 10.99.99.99:0: "
      + "10.99.99.99 is not an address of this machine (Cannot assign requested address)", e.getMessage());
  }

  @Test
  void givenAPortWrittenAsAString_whenNodeStarts_thenTheMessageQuotesTheString() {
    NodeOptions options = withVerticle(new JsonObject().put("name", "mgmt").put("verticle", ManagementVerticle.class.getName())
      .put("config", new JsonObject().put("port", "8080")));
    FlowException e = failure(vertx.deployVerticle(new NodeVerticle(options)));
    assertEquals("verticle 'mgmt' (io.flowsdk.node.ManagementVerticle) has an invalid configuration: "
      + "option 'port' of ManagementOptions must be a whole number, not the string \"8080\"", e.getMessage());
  }

  @Test
  void givenBadNodeKeys_whenParsed_thenInvalidWithTheKey() {
    FlowException e = assertThrows(FlowException.class, () -> new NodeOptions(new JsonObject().put("bus",
      new JsonObject().put("ackTimeoutMillis", "soon"))));
    assertTrue(e.getMessage().contains("ackTimeoutMillis") && e.getMessage().contains("whole number"), e.getMessage());
    e = assertThrows(FlowException.class, () -> new NodeOptions(new JsonObject().put("verticles", new JsonArray().add("x"))));
    assertTrue(e.getMessage().contains("verticles[0]"), e.getMessage());
  }
}
