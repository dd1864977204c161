package io.flowsdk.middleware;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.v1.ConsumeRequest;
import io.flowsdk.grpc.v1.ConsumeResponse;
import io.flowsdk.grpc.v1.ConsumeStart;
import io.flowsdk.grpc.v1.EnqueueRequest;
import io.flowsdk.grpc.v1.QueueGrpc;
import io.flowsdk.grpc.v1.QueueNack;
import io.flowsdk.grpc.v1.QueueStatsRequest;
import io.flowsdk.grpc.v1.TableGrpc;
import io.flowsdk.grpc.v1.TableItem;
import io.flowsdk.grpc.v1.TableKeyRequest;
import io.flowsdk.grpc.v1.TablePutRequest;
import io.flowsdk.node.NodeOptions;
import io.flowsdk.node.NodeVerticle;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreEntry;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node whose queues and tables come from its JSON, reached through its gateway verticle with grpc-java. */
class MiddlewareVerticleTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    join(vertx.close());
  }

  /** A node of a gateway verticle listed before the middleware verticle of {@code middleware}, on a free port. */
  private void deployNode(JsonObject middleware) throws Exception {
    int port = FreePorts.loopback();
    NodeOptions node = new NodeOptions(new JsonObject("{\"verticles\": ["
      + "{\"name\": \"grpc\", \"verticle\": \"io.flowsdk.grpc.GrpcGatewayVerticle\", \"config\": {\"host\": \"127.0.0.1\", \"port\": " + port + "}},"
      + "{\"name\": \"middleware\", \"verticle\": \"io.flowsdk.middleware.MiddlewareVerticle\", \"config\": " + middleware.encode() + "}]}"));
    join(vertx.deployVerticle(new NodeVerticle(node)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private JsonObject store() {
    return new JsonObject().put("path", dir.resolve("node.mv").toString()).put("syncPolicy", "EVERY_WRITE");
  }

  @Test
  void givenQueuesAndTablesInTheNodeJson_whenCalledWithGrpcJava_thenServedWithTheirOptions() throws Exception {
    deployNode(new JsonObject()
      .put("queues", new JsonArray().add(new JsonObject().put("name", "jobs").put("maxAttempts", 1)
        .put("deadLetterQueue", "jobs-dead").put("capacity", 2)))
      .put("tables", new JsonArray().add(new JsonObject().put("name", "config").put("defaultTtlMillis", 60_000)))
      .put("store", store()));

    QueueGrpc.QueueBlockingStub queue = QueueGrpc.newBlockingStub(channel);
    String id = queue.enqueue(EnqueueRequest.newBuilder().setQueue("jobs").setPayload(ByteString.copyFromUtf8("a")).build()).getId();
    queue.enqueue(EnqueueRequest.newBuilder().setQueue("jobs").setPayload(ByteString.copyFromUtf8("b")).build());
    var full = assertThrows(StatusRuntimeException.class,
      () -> queue.enqueue(EnqueueRequest.newBuilder().setQueue("jobs").setPayload(ByteString.copyFromUtf8("c")).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
    assertEquals("queue jobs is full (capacity 2 items)", full.getStatus().getDescription());

    // one delivery, nacked: with maxAttempts 1 the next claim moves it to the dead letters
    List<ConsumeResponse> got = new CopyOnWriteArrayList<>();
    StreamObserver<ConsumeRequest> consume = QueueGrpc.newStub(channel).consume(new StreamObserver<>() {
      @Override
      public void onNext(ConsumeResponse value) {
        got.add(value);
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    });
    consume.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("jobs").setCredit(1)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> got.stream().anyMatch(ConsumeResponse::hasDelivery));
    assertEquals(id, got.get(0).getDelivery().getId());
    consume.onNext(ConsumeRequest.newBuilder().setNack(QueueNack.newBuilder().setReceipt(id + "#1")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> got.stream().filter(ConsumeResponse::hasDelivery).count() == 2);
    assertEquals("b", got.stream().filter(ConsumeResponse::hasDelivery).skip(1).findFirst().orElseThrow().getDelivery()
      .getPayload().toStringUtf8());
    assertEquals(1, queue.stats(QueueStatsRequest.newBuilder().setQueue("jobs").build()).getSize());
    assertEquals(1, queue.stats(QueueStatsRequest.newBuilder().setQueue("jobs-dead").build()).getSize(),
      "the dead letters, served under their deadLetterQueue name");
    consume.onCompleted();

    TableGrpc.TableBlockingStub table = TableGrpc.newBlockingStub(channel);
    long before = System.currentTimeMillis();
    TableItem put = table.put(TablePutRequest.newBuilder().setTable("config").setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
    assertTrue(put.getExpiresAt() >= before + 60_000 && put.getExpiresAt() <= System.currentTimeMillis() + 60_000,
      "the default TTL of 60 s: expires at " + put.getExpiresAt());
    assertEquals("v", table.get(TableKeyRequest.newBuilder().setTable("config").setKey("k").build()).getEntry().getValue().toStringUtf8());

    join(vertx.close());
    Vertx later = Vertx.vertx();
    try {
      FlowStore store = join(FlowStore.open(later, new StoreOptions(store())));
      List<StoreEntry> dead = join(store.scan("queue.jobs-dead", "", null, 10));
      assertEquals(List.of(id), dead.stream().map(StoreEntry::key).toList(), "the dead letter, kept under deadLetterQueue");
    } finally {
      join(later.close());
    }
  }

  @Test
  void givenANodeWithoutTheQueue_whenCalled_thenInvalidArgumentNamingIt() throws Exception {
    deployNode(new JsonObject().put("store", store()));
    var e = assertThrows(StatusRuntimeException.class, () -> QueueGrpc.newBlockingStub(channel)
      .enqueue(EnqueueRequest.newBuilder().setQueue("jobs").setPayload(ByteString.copyFromUtf8("a")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("this node serves no queue 'jobs'", e.getStatus().getDescription());
  }

  @Test
  void givenABadQueueEntry_whenDeployed_thenInvalidNamingTheEntryAndTheStoreIsReleased() throws Exception {
    JsonObject config = new JsonObject().put("store", store()).put("queues", new JsonArray()
      .add(new JsonObject().put("name", "a")).add(new JsonObject().put("name", "jobs").put("capacity", 0)));
    FlowException e = failure(vertx.deployVerticle(new MiddlewareVerticle(), new DeploymentOptions().setConfig(config)));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("option 'queues[1]' of MiddlewareOptions ('jobs'): option 'capacity' of QueueOptions must be 1..2147483647, not 0",
      e.getMessage());

    // a second instance finds the names taken; the failed one has let go of the store file
    config.put("queues", new JsonArray().add(new JsonObject().put("name", "jobs")));
    join(vertx.deployVerticle(new MiddlewareVerticle(), new DeploymentOptions().setConfig(config)));
    JsonObject other = config.copy().put("store", store().put("path", dir.resolve("other.mv").toString()));
    FlowException taken = failure(vertx.deployVerticle(new MiddlewareVerticle(), new DeploymentOptions().setConfig(other)));
    assertEquals("queue 'jobs' is deployed on this node already", taken.getMessage());
    assertTrue(NodeMiddleware.of(vertx).queue("jobs").isPresent(), "the first deployment's queue stays registered");
  }
}
