package io.flowsdk.middleware;

import com.google.protobuf.ByteString;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.grpc.GrpcGateway;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.v1.ConsumeRequest;
import io.flowsdk.grpc.v1.ConsumeResponse;
import io.flowsdk.grpc.v1.ConsumeStart;
import io.flowsdk.grpc.v1.EnqueueRequest;
import io.flowsdk.grpc.v1.QueueAck;
import io.flowsdk.grpc.v1.QueueDelivery;
import io.flowsdk.grpc.v1.QueueNack;
import io.flowsdk.grpc.v1.QueuePastDelivery;
import io.flowsdk.grpc.v1.QueueGrpc;
import io.flowsdk.grpc.v1.QueueStatsRequest;
import io.flowsdk.grpc.v1.QueueStatsResponse;
import io.flowsdk.grpc.v1.TableCasRequest;
import io.flowsdk.grpc.v1.TableChange;
import io.flowsdk.grpc.v1.TableGrpc;
import io.flowsdk.grpc.v1.TableKeyRequest;
import io.flowsdk.grpc.v1.TablePutRequest;
import io.flowsdk.grpc.v1.TableScanRequest;
import io.flowsdk.grpc.v1.TableWatchRequest;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.FlowTable;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flowsdk.v1.Queue and flowsdk.v1.Table services of a gateway, called with grpc-java. */
class MiddlewareGrpcTest {

  private static final Metadata.Key<String> ERROR_TRAILER = Metadata.Key.of("flowsdk-error", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir
  Path dir;
  private Vertx vertx;
  private FlowStore store;
  private GrpcGateway gateway;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    store = join(FlowStore.open(vertx, new StoreOptions().setPath(dir.resolve("m.mv").toString())));
    FlowQueue jobs = join(FlowQueue.embedded(vertx, "jobs", store, new QueueOptions()));
    FlowQueue fragile = join(FlowQueue.embedded(vertx, "fragile", store, new QueueOptions().setMaxAttempts(1)));
    FlowTable config = join(FlowTable.embedded(vertx, "config", store));
    FlowBus bus = join(FlowBus.create(vertx));
    Map<String, FlowQueue> queues = Map.of("jobs", jobs, "fragile", fragile, "fragile.dlq", fragile.deadLetters());
    gateway = join(GrpcGateway.create(vertx, new GrpcGatewayOptions().setHost("127.0.0.1").setPort(0),
      List.of(FlowQueue.grpcService(vertx, queues), FlowTable.grpcService(bus, Map.of("config", config)))));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.actualPort()).usePlaintext().build();
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    join(gateway.close());
    join(store.close());
    join(vertx.close());
  }

  /** Records a response stream. */
  private static final class Recorder<T> implements StreamObserver<T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      items.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }

  private static EnqueueRequest item(String payload, int priority) {
    return EnqueueRequest.newBuilder().setQueue("jobs").setPayload(ByteString.copyFromUtf8(payload)).setPriority(priority).build();
  }

  private static List<String> deliveries(Recorder<ConsumeResponse> r) {
    return r.items.stream().filter(ConsumeResponse::hasDelivery).map(c -> c.getDelivery().getPayload().toStringUtf8()).collect(Collectors.toList());
  }

  @Test
  void givenItems_whenConsumedWithCredit_thenDeliveredBestFirstNoMoreThanTheCreditAndEachAckAnswered() throws Exception {
    QueueGrpc.QueueBlockingStub queue = QueueGrpc.newBlockingStub(channel);
    queue.enqueue(item("low", 1));
    queue.enqueue(item("high", 200));
    String midId = queue.enqueue(item("mid", 100)).getId();
    assertEquals(3, queue.stats(QueueStatsRequest.newBuilder().setQueue("jobs").build()).getSize());

    Recorder<ConsumeResponse> got = new Recorder<>();
    StreamObserver<ConsumeRequest> consume = QueueGrpc.newStub(channel).consume(got);
    consume.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("jobs").setCredit(2)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(got).size() == 2);
    assertEquals(List.of("high", "mid"), deliveries(got));
    long until = System.currentTimeMillis() + 300;
    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > until);
    assertEquals(2, deliveries(got).size(), "a third delivery beyond the credit");

    String midReceipt = got.items.get(1).getDelivery().getReceipt();
    assertEquals(midId + "#1", midReceipt);
    consume.onNext(ConsumeRequest.newBuilder().setAck(QueueAck.newBuilder().setReceipt(midReceipt)).build());
    consume.onNext(ConsumeRequest.newBuilder().setAck(QueueAck.newBuilder().setReceipt("nothing#1")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(got).size() == 3
      && got.items.stream().filter(ConsumeResponse::hasSettled).count() == 2);
    assertEquals("low", deliveries(got).get(2));
    var settled = got.items.stream().filter(ConsumeResponse::hasSettled).map(ConsumeResponse::getSettled)
      .collect(Collectors.toMap(s -> s.getReceipt(), s -> s));
    assertTrue(settled.get(midReceipt).getOk(), settled.get(midReceipt).toString());
    assertFalse(settled.get("nothing#1").getOk());
    assertEquals("NO_ROUTE", settled.get("nothing#1").getError());
    assertEquals("queue jobs: 'nothing#1' is not an item in flight (acknowledged, or its visibility timeout ran out)",
      settled.get("nothing#1").getMessage());

    consume.onCompleted();
    got.done.get(10, TimeUnit.SECONDS);
    // the two unsettled deliveries were given back when the stream ended
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats(QueueStatsRequest.newBuilder().setQueue("jobs").build()).getSize() == 2);
    Recorder<ConsumeResponse> again = new Recorder<>();
    StreamObserver<ConsumeRequest> second = QueueGrpc.newStub(channel).consume(again);
    second.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("jobs").setCredit(5)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(again).size() == 2);
    assertEquals(List.of("high", "low"), deliveries(again));
    QueueDelivery high = again.items.get(0).getDelivery();
    assertEquals(2, high.getAttempt());
    assertEquals(List.of(QueuePastDelivery.Ending.NACKED), high.getDeliveriesList().stream().map(QueuePastDelivery::getEnding).toList(),
      "its first delivery, given back when the first stream ended");
    second.onCompleted();
  }

  @Test
  void givenAnItemThatRanOutOfAttempts_whenItsDeadLettersAreConsumed_thenItComesWithItsHistoryAndTheyRefuseEnqueues() throws Exception {
    QueueGrpc.QueueBlockingStub queue = QueueGrpc.newBlockingStub(channel);
    String id = queue.enqueue(item("poison", 1).toBuilder().setQueue("fragile").build()).getId();
    Recorder<ConsumeResponse> got = new Recorder<>();
    StreamObserver<ConsumeRequest> consume = QueueGrpc.newStub(channel).consume(got);
    consume.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("fragile").setCredit(1)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(got).size() == 1);
    QueueDelivery only = got.items.get(0).getDelivery();
    consume.onNext(ConsumeRequest.newBuilder().setNack(QueueNack.newBuilder().setReceipt(only.getReceipt())).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats(QueueStatsRequest.newBuilder().setQueue("fragile").build()).getSize() == 0);
    QueueStatsResponse stats = queue.stats(QueueStatsRequest.newBuilder().setQueue("fragile").build());
    assertEquals(List.of(0L, 0L, 0L, 1L, 1), List.of(stats.getReady(), stats.getDelayed(), stats.getInFlight(), stats.getDeadLetters(),
      stats.getConsumers()), "moved to the dead letters, while this stream consumes: " + stats);
    consume.onCompleted();

    Recorder<ConsumeResponse> dead = new Recorder<>();
    StreamObserver<ConsumeRequest> consumeDead = QueueGrpc.newStub(channel).consume(dead);
    consumeDead.onNext(ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue("fragile.dlq").setCredit(5)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(dead).size() == 1);
    QueueDelivery letter = dead.items.get(0).getDelivery();
    assertEquals(id, letter.getId());
    assertEquals("poison", letter.getPayload().toStringUtf8());
    assertEquals(1, letter.getDeliveriesCount());
    QueuePastDelivery past = letter.getDeliveries(0);
    assertEquals(QueuePastDelivery.Ending.NACKED, past.getEnding());
    assertEquals(only.getInvisibleUntil() - QueueOptions.DEFAULT_VISIBILITY_TIMEOUT_MILLIS, past.getDeliveredAt());
    assertTrue(past.getEndedAt() >= past.getDeliveredAt() && past.getEndedAt() < only.getInvisibleUntil(), past.toString());
    consumeDead.onNext(ConsumeRequest.newBuilder().setAck(QueueAck.newBuilder().setReceipt(letter.getReceipt())).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> dead.items.stream().anyMatch(ConsumeResponse::hasSettled));
    assertTrue(dead.items.stream().filter(ConsumeResponse::hasSettled).findFirst().orElseThrow().getSettled().getOk());
    consumeDead.onCompleted();
    assertEquals(0, queue.stats(QueueStatsRequest.newBuilder().setQueue("fragile.dlq").build()).getSize());

    var e = assertThrows(StatusRuntimeException.class, () -> queue.enqueue(item("x", 1).toBuilder().setQueue("fragile.dlq").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("INVALID", e.getTrailers().get(ERROR_TRAILER));
  }

  @Test
  void givenAnUnknownQueueOrAMissingStart_thenInvalidArgumentWithTheReason() throws Exception {
    var e = assertThrows(StatusRuntimeException.class, () -> QueueGrpc.newBlockingStub(channel).enqueue(item("x", 1).toBuilder().setQueue("nope").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("this node serves no queue 'nope'", e.getStatus().getDescription());
    assertEquals("INVALID", e.getTrailers().get(ERROR_TRAILER));

    Recorder<ConsumeResponse> got = new Recorder<>();
    StreamObserver<ConsumeRequest> consume = QueueGrpc.newStub(channel).consume(got);
    consume.onNext(ConsumeRequest.newBuilder().setAck(QueueAck.newBuilder().setReceipt("a#1")).build());
    var failure = assertThrows(Exception.class, () -> got.done.get(10, TimeUnit.SECONDS));
    Status status = Status.fromThrowable(failure.getCause());
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("a Consume call starts with a ConsumeStart, not ACK", status.getDescription());
  }

  @Test
  void givenTableCalls_thenPutGetCasDeleteScanAnswerAndWatchStreamsEveryChangeInOrder() throws Exception {
    TableGrpc.TableBlockingStub table = TableGrpc.newBlockingStub(channel);
    Recorder<TableChange> changes = new Recorder<>();
    TableGrpc.newStub(channel).watch(TableWatchRequest.newBuilder().setTable("config").setFilter("dev/#").build(), changes);
    // the watch is subscribed once a change published after it arrives
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      table.put(put("dev/0probe", "p"));
      return !changes.items.isEmpty();
    });

    assertEquals(1, table.put(put("dev/a", "1")).getVersion());
    assertEquals(2, table.cas(TableCasRequest.newBuilder().setTable("config").setKey("dev/a").setExpectedVersion(1)
      .setValue(ByteString.copyFromUtf8("2")).build()).getVersion());
    var e = assertThrows(StatusRuntimeException.class, () -> table.cas(TableCasRequest.newBuilder().setTable("config").setKey("dev/a")
      .setExpectedVersion(1).setValue(ByteString.copyFromUtf8("3")).build()));
    assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
    assertEquals("table config: key 'dev/a' is at version 2, not 1", e.getStatus().getDescription());
    assertEquals("REFUSED", e.getTrailers().get(ERROR_TRAILER));
    var got = table.get(TableKeyRequest.newBuilder().setTable("config").setKey("dev/a").build());
    assertTrue(got.getFound());
    assertEquals("2", got.getEntry().getValue().toStringUtf8());
    table.put(put("dev/b", "x"));
    assertEquals(List.of("dev/a", "dev/b"), table.scan(TableScanRequest.newBuilder().setTable("config").setPrefix("dev/").setAfterKey("dev/P")
      .setLimit(10).build()).getEntriesList().stream().map(i -> i.getKey()).collect(Collectors.toList()));
    assertTrue(table.delete(TableKeyRequest.newBuilder().setTable("config").setKey("dev/a").build()).getDeleted());
    assertFalse(table.get(TableKeyRequest.newBuilder().setTable("config").setKey("dev/a").build()).getFound());

    await().atMost(Duration.ofSeconds(10)).until(() -> changes.items.stream().filter(c -> !c.getKey().equals("dev/0probe")).count() == 4);
    assertEquals(List.of("put dev/a 1 1", "put dev/a 2 2", "put dev/b 1 x", "delete dev/a 2 "), changes.items.stream()
      .filter(c -> !c.getKey().equals("dev/0probe"))
      .map(c -> c.getOp() + " " + c.getKey() + " " + c.getVersion() + " " + c.getValue().toStringUtf8()).collect(Collectors.toList()));
  }

  private static TablePutRequest put(String key, String value) {
    return TablePutRequest.newBuilder().setTable("config").setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
  }
}
