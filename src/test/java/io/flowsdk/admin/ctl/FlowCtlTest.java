package io.flowsdk.admin.ctl;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.middleware.MiddlewareOptions;
import io.flowsdk.middleware.MiddlewareVerticle;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.ManagementVerticle;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.security.PasswordHash;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.TableOptions;
import io.flowsdk.testing.FreePorts;
import io.flowsdk.util.BearerTokens;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /** {@link #ctl} with {@code input} as standard input (no console in a test: passwd reads its first line). */
  private static Run ctlWithStdin(String input, String... args) {
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      return ctl(args);
    } finally {
      System.setIn(in);
    }
  }

  @Test
  void givenAConnectedClient_whenStatus_thenItShowsTheNodeItsVerticlesItsTrafficAndTheClient() throws Exception {
    client = Mqtt5Client.builder().identifier("status-1").serverHost("127.0.0.1").serverPort(mqttPort).buildBlocking();
    client.connect();
    client.subscribeWith().topicFilter("status/#").send();
    client.publishWith().topic("status/a").payload("x".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();

    Run status = ctl("status", "--url", url);
    assertEquals(0, status.code(), status.toString());
    List<String> lines = status.out().lines().toList();
    assertEquals("standalone node: 1 node(s)", lines.get(0));
    assertEquals("node " + nodeId + " (asked)", lines.get(1));
    assertEquals("  verticles: ManagementVerticle, MqttBrokerVerticle", lines.get(2));
    assertTrue(lines.get(3).matches("  messages:  .*broker in 1 out [01].*"), lines.get(3));
    assertEquals("  problems:  none", lines.get(4));
    assertEquals("mqtt: 1 client(s) connected, 1 session(s)", lines.get(5));
    assertEquals(6, lines.size(), status.out());

    JsonObject json = new JsonObject(ctl("status", "--url", url, "--json").out());
    assertEquals(1L, json.getLong("clients"));
    assertEquals(nodeId, json.getJsonObject("cluster").getJsonArray("members").getJsonObject(0).getString("node"));
  }

  @Test
  void givenAQueueAndATable_whenQueuesAndTables_thenCtlPrintsEachWithItsFigures(@TempDir Path dir) throws Exception {
    MiddlewareOptions middleware = new MiddlewareOptions().addQueue("jobs", new QueueOptions()).addTable("config", new TableOptions())
      .setStore(new StoreOptions().setPath(dir.resolve("store.mv").toString()));
    join(vertx.deployVerticle(MiddlewareVerticle.class.getName(), new DeploymentOptions().setConfig(middleware.toJson())));
    join(NodeMiddleware.of(vertx).queue("jobs").orElseThrow().enqueue(Buffer.buffer("job"), 0, Duration.ZERO));
    join(NodeMiddleware.of(vertx).table("config").orElseThrow().put("a", Buffer.buffer("1")));

    Run queues = ctl("queues", "--url", url);
    assertEquals(0, queues.code(), queues.toString());
    assertEquals("jobs  ready=1  delayed=0  inFlight=0  deadLetters=0  enqueued=1  acked=0  nacked=0  redelivered=0  redriven=0  consumers=0"
      + "  nodes=1\njobs.dlq  ready=0  delayed=0  inFlight=0  deadLetters=0  enqueued=0  acked=0  nacked=0  redelivered=0  redriven=0"
      + "  consumers=0  nodes=1\n(2 of 2)", queues.out());
    Run peek = ctl("peek", "--url", url, "jobs");
    assertEquals(0, peek.code(), peek.toString());
    assertTrue(peek.out().matches("[0-9]{16}  ready  priority=0  attempts=0  deliveries=-  job"), peek.out());
    assertEquals(new Run(0, "", ""), ctl("peek", "--url", url, "jobs", "--offset", "1"), "no item after the first");
    assertEquals(new Run(0, "moved 0 dead letters back into jobs; 0 left", ""), ctl("redrive", "--url", url, "jobs"));
    assertEquals(1, ctl("redrive", "--url", url, "jobs", "--max", "0").code());
    Run tables = ctl("tables", "--url", url);
    assertEquals(0, tables.code(), tables.toString());
    assertEquals("config  entries=1  nodes=1\n(1 of 1)", tables.out());
  }

  @Test
  void givenAPasswordOnStdin_whenPasswdUser_thenItPrintsABrokerUserEntryWhoseHashVerifiesIt() {
    Run run = ctlWithStdin("wonderland\n", "passwd", "user", "alice", "--iterations", "1000");
    assertEquals(0, run.code(), run.toString());
    MqttUserOptions user = new MqttUserOptions(new JsonObject(run.out()));
    assertEquals("alice", user.getUsername());
    assertEquals(1000, PasswordHash.parse(user.getPasswordHash()).iterations());
    assertTrue(PasswordHash.parse(user.getPasswordHash()).verify("wonderland"));
    assertFalse(PasswordHash.parse(user.getPasswordHash()).verify("looking-glass"));

    assertEquals(new Run(2, "", "flowsdk ctl: no password given: type it, or pipe it in (printf %s SECRET | ... ctl passwd"
      + " user ...)"), ctlWithStdin("", "passwd", "user", "alice"));
  }

  @Test
  void givenATokenOnStdin_whenPasswdToken_thenAListenerConfiguredWithItsEntryAcceptsThatTokenOnly() throws Exception {
    Run run = ctlWithStdin("s3cret-token\n", "passwd", "token", "ops", "--role", "ADMIN");
    assertEquals(0, run.code(), run.toString());
    JsonObject entry = new JsonObject(run.out());
    assertEquals(new JsonObject().put("name", "ops").put("sha256", BearerTokens.sha256("s3cret-token")).put("role", "ADMIN"),
      entry);

    ManagementVerticle guarded = new ManagementVerticle();
    join(vertx.deployVerticle(guarded, new DeploymentOptions().setConfig(new ManagementOptions(new JsonObject()
      .put("port", 0).put("adminTokens", new JsonArray().add(entry))).toJson())));
    String guardedUrl = "http://127.0.0.1:" + guarded.actualPort();
    assertEquals(0, ctl("routes", "--url", guardedUrl, "--token", "s3cret-token").code());
    assertEquals(new Run(1, "", "flowsdk ctl: 401 NOT_AUTHORIZED: unknown bearer token"),
      ctl("routes", "--url", guardedUrl, "--token", "other-token"));
  }

  @Test
  void givenTwoPublishersAndTwoSubscribers_whenBench_thenEveryMessageArrivesAndTheTableSaysSo() {
    Run bench = ctl("bench", "-p", String.valueOf(mqttPort), "--publishers", "2", "--subscribers", "2", "--rate", "200",
      "--duration", "2", "-q", "1");
    assertEquals(0, bench.code(), bench.toString());
    List<String> table = bench.out().lines().toList();
    assertEquals(2, table.size(), bench.out());
    assertEquals(List.of("pubs", "subs", "rate", "qos", "sent", "received", "failed", "sent/s", "recv/s", "loss", "%", "p50",
      "ms", "p99", "ms"), List.of(table.get(0).split("\\s+")));
    String[] row = table.get(1).split("\\s+");
    assertEquals(List.of("2", "2", "200", "1", "800", "1600", "0"), List.of(row).subList(0, 7));
    assertEquals("0.00", row[9]);
    double p50 = Double.parseDouble(row[10]);
    double p99 = Double.parseDouble(row[11]);
    assertTrue(p50 > 0 && p50 <= p99, table.get(1));
    assertTrue(bench.err().startsWith("[") && bench.err().contains("\r[####################]   ")
      && bench.err().endsWith("received 1600  failed 0"), bench.err());
  }

  @Test
  void givenNoBroker_whenBench_thenExitCode3NamingTheBroker() {
    int port = FreePorts.loopback();
    Run bench = ctl("bench", "-p", String.valueOf(port), "--duration", "1");
    assertEquals(3, bench.code(), bench.toString());
    assertTrue(bench.err().startsWith("flowsdk ctl: could not connect flowsdk-bench-sub-0-" + ProcessHandle.current().pid()
      + " to 127.0.0.1:" + port + ": "), bench.err());
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
