package io.flowsdk.admin;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.GrpcGatewayVerticle;
import io.flowsdk.grpc.v1.ConsumeRequest;
import io.flowsdk.grpc.v1.ConsumeResponse;
import io.flowsdk.grpc.v1.ConsumeStart;
import io.flowsdk.grpc.v1.QueueGrpc;
import io.flowsdk.middleware.MiddlewareOptions;
import io.flowsdk.middleware.MiddlewareVerticle;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.TableOptions;
import io.flowsdk.testing.DebianPython;
import io.flowsdk.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code /api/queues} and {@code /api/tables}: their figures follow what the queues and tables do, consumers included
 * (MQTT and gRPC, leaving or killed with {@code kill -9}); unknown names are 404.
 */
class AdminMiddlewareTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private AdminNode nodeWithMiddleware(Path dir) throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    MiddlewareOptions middleware = new MiddlewareOptions()
      .addQueue("jobs", new QueueOptions().setMaxAttempts(1))
      .addTable("config", new TableOptions())
      .setStore(new StoreOptions().setPath(dir.resolve("store.mv").toString()));
    join(vertx.deployVerticle(MiddlewareVerticle.class.getName(), new DeploymentOptions().setConfig(middleware.toJson())));
    return node;
  }

  @Test
  void givenAQueue_whenItemsAreEnqueuedLeasedAndAcked_thenItsFiguresFollow(@TempDir Path dir) throws Exception {
    AdminNode node = nodeWithMiddleware(dir);
    FlowQueue jobs = NodeMiddleware.of(vertx).queue("jobs").orElseThrow();
    for (int i = 0; i < 3; i++) {
      join(jobs.enqueue(Buffer.buffer("job " + i), 0, Duration.ZERO));
    }
    join(jobs.enqueue(Buffer.buffer("later"), 0, Duration.ofHours(1)));
    assertEquals(figures(3, 1, 0, 0, 4, 0, 0), figures(node.get("/api/queues/jobs")));

    QueueItem leased = join(jobs.receive()).orElseThrow();
    QueueItem nacked = join(jobs.receive()).orElseThrow();
    assertEquals(figures(1, 1, 2, 0, 4, 0, 0), figures(node.get("/api/queues/jobs")));

    join(jobs.ack(leased.receipt()));
    join(jobs.nack(nacked.receipt(), Duration.ZERO));
    // maxAttempts 1: the nacked item goes to the dead letters when a receive finds it again
    QueueItem last = join(jobs.receive()).orElseThrow();
    join(jobs.ack(last.receipt()));
    JsonObject after = node.get("/api/queues/jobs");
    assertEquals(figures(0, 1, 0, 1, 4, 2, 1), figures(after));
    assertEquals(1, after.getLong("deadLettered"));
    assertEquals(new JsonArray().add(node.nodeId), nodesOf(after), "the one node serving it");

    JsonObject listed = node.get("/api/queues");
    assertEquals(2, listed.getLong("total"), "the queue and its dead letters");
    assertEquals(figures(after), figures(listed.getJsonArray("items").getJsonObject(0)));
    JsonObject deadLetters = listed.getJsonArray("items").getJsonObject(1);
    assertEquals("jobs.dlq", deadLetters.getString("name"));
    assertEquals(1, deadLetters.getLong("ready"), "the dead letter, ready for its consumers");

    JsonObject peeked = node.get("/api/queues/jobs.dlq/items");
    JsonObject letter = peeked.getJsonArray("items").getJsonObject(0);
    assertEquals(List.of("jobs.dlq", 1, "ready", 0, "job 1", "am9iIDE=", 5, "NACKED"), List.of(peeked.getString("name"),
      peeked.getJsonArray("items").size(), letter.getString("state"), letter.getInteger("attempts"), letter.getString("payload"),
      letter.getString("payloadBase64"), letter.getInteger("payloadBytes"),
      letter.getJsonArray("deliveries").getJsonObject(0).getString("ending")), letter.encode());
    assertEquals(1, node.get("/api/queues/jobs.dlq").getLong("ready"), "peeking delivered nothing");
    JsonObject pastTheEnd = node.get("/api/queues/jobs.dlq/items?offset=1");
    assertEquals(List.of(1, 0), List.of(pastTheEnd.getInteger("offset"), pastTheEnd.getJsonArray("items").size()));
    assertEquals(400, node.call("GET", "/api/queues/jobs.dlq/items?offset=-1").status());

    AdminNode.Answer redriven = node.call("POST", "/api/queues/jobs/redrive?max=5");
    assertEquals(200, redriven.status(), redriven.toString());
    assertEquals(new JsonObject().put("name", "jobs").put("moved", 1).put("deadLetters", 0), redriven.body());
    assertEquals(1, node.get("/api/queues/jobs").getLong("redriven"));
    assertEquals("job 1", join(jobs.receive()).orElseThrow().payload().toString(), "the nacked item, back in its queue");
    AdminNode.Answer tooMany = node.call("POST", "/api/queues/jobs/redrive?max=10001");
    assertEquals(400, tooMany.status(), tooMany.toString());
    assertEquals(404, node.call("POST", "/api/queues/nope/redrive").status());
  }

  /** A gRPC Consume call of {@code queue} from Debian's Python in a process of its own, open until the process ends. */
  private static Process grpcConsumerProcess(int port, String queue) throws Exception {
    DebianPython.requireGrpc();
    String start = HexFormat.of().formatHex(ConsumeRequest.newBuilder()
      .setStart(ConsumeStart.newBuilder().setQueue(queue).setCredit(1)).build().toByteArray());
    String script = String.join("\n",
      "import sys, time, grpc",
      "channel = grpc.insecure_channel('127.0.0.1:' + sys.argv[1])",
      "consume = channel.stream_stream('/flowsdk.v1.Queue/Consume', request_serializer=lambda b: b, response_deserializer=lambda b: b)",
      "def requests():",
      "    yield bytes.fromhex(sys.argv[2])",
      "    time.sleep(3600)",
      "for response in consume(requests()):",
      "    pass");
    return new ProcessBuilder(DebianPython.PYTHON, "-c", script, String.valueOf(port), start).redirectErrorStream(true).start();
  }

  private static void awaitConsumers(AdminNode node, long expected) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
      assertEquals(Map.of("all", expected, node.nodeId, expected), node.consumers("jobs")));
  }

  @Test
  void givenConsumersOverMqttAndGrpc_whenTheyLeaveOrTheirProcessIsKilled_thenTheQueueStopsCountingThem(@TempDir Path dir)
    throws Exception {
    AdminNode node = nodeWithMiddleware(dir);
    int grpcPort = FreePorts.loopback();
    join(vertx.deployVerticle(GrpcGatewayVerticle.class.getName(),
      new DeploymentOptions().setConfig(new GrpcGatewayOptions().setHost("127.0.0.1").setPort(grpcPort).toJson())));
    awaitConsumers(node, 0);

    Mqtt5BlockingClient mqtt = node.connect("queue-consumer", new CompletableFuture<>());
    mqtt.subscribeWith().topicFilter("$queue/jobs").qos(MqttQos.AT_LEAST_ONCE).send();
    awaitConsumers(node, 1);
    mqtt.unsubscribeWith().topicFilter("$queue/jobs").send();
    awaitConsumers(node, 0);

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      StreamObserver<ConsumeRequest> consume = QueueGrpc.newStub(channel).consume(new StreamObserver<>() {
        public void onNext(ConsumeResponse value) {
        }

        public void onError(Throwable t) {
        }

        public void onCompleted() {
        }
      });
      consume.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("jobs").setCredit(1)).build());
      awaitConsumers(node, 1);
      consume.onCompleted();
      awaitConsumers(node, 0);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    Process subscriber = node.subscriberProcess("killed-consumer", "$queue/jobs");
    Process grpcConsumer = grpcConsumerProcess(grpcPort, "jobs");
    try {
      awaitConsumers(node, 2);
      subscriber.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no DISCONNECT, no end of stream
      grpcConsumer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      awaitConsumers(node, 0);
    } finally {
      subscriber.destroyForcibly();
      grpcConsumer.destroyForcibly();
    }
    mqtt.disconnect();
  }

  @Test
  void givenATable_whenEntriesArePut_thenItCountsThem(@TempDir Path dir) throws Exception {
    AdminNode node = nodeWithMiddleware(dir);
    assertEquals(0, node.get("/api/tables/config").getLong("entries"));
    join(NodeMiddleware.of(vertx).table("config").orElseThrow().put("a", Buffer.buffer("1")));
    join(NodeMiddleware.of(vertx).table("config").orElseThrow().put("b", Buffer.buffer("2")));
    assertEquals(2, node.get("/api/tables/config").getLong("entries"));
    JsonObject listed = node.get("/api/tables").getJsonArray("items").getJsonObject(0);
    assertEquals("config", listed.getString("name"));
    assertEquals(2, listed.getLong("entries"));
  }

  @Test
  void givenUnknownNames_thenTheyAre404WithAJsonError(@TempDir Path dir) throws Exception {
    AdminNode node = nodeWithMiddleware(dir);
    for (String path : new String[] {"/api/queues/nope", "/api/tables/nope"}) {
      AdminNode.Answer answer = node.call("GET", path);
      assertEquals(404, answer.status(), answer.toString());
      assertEquals("NOT_FOUND", answer.body().getString("error"));
    }
  }

  @Test
  void givenANodeWithoutMiddleware_thenItListsNoQueuesOrTablesAndKnowsNone() throws Exception {
    AdminNode node = AdminNode.start(vertx, new ManagementOptions());
    for (String list : new String[] {"/api/queues", "/api/tables"}) {
      JsonObject answer = node.get(list);
      assertEquals(0, answer.getLong("total"));
      assertEquals(new JsonArray(), answer.getJsonArray("items"));
      assertEquals(new JsonArray(), answer.getJsonArray("errors"));
    }
    assertEquals(404, node.call("GET", "/api/queues/jobs").status());
  }

  private static JsonObject figures(long ready, long delayed, long inFlight, long deadLetters, long enqueued, long acked,
                                    long nacked) {
    return new JsonObject().put("ready", ready).put("delayed", delayed).put("inFlight", inFlight).put("deadLetters", deadLetters)
      .put("enqueued", enqueued).put("acked", acked).put("nacked", nacked);
  }

  private static JsonObject figures(JsonObject queue) {
    JsonObject figures = new JsonObject();
    for (String field : figures(0, 0, 0, 0, 0, 0, 0).fieldNames()) {
      figures.put(field, queue.getLong(field));
    }
    return figures;
  }

  private static JsonArray nodesOf(JsonObject combined) {
    JsonArray nodes = new JsonArray();
    combined.getJsonArray("nodes").forEach(n -> nodes.add(((JsonObject) n).getString("node")));
    return nodes;
  }
}
