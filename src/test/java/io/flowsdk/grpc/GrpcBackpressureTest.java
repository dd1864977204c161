package io.flowsdk.grpc;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that does not read while many messages are published: the gateway holds at most its
 * per-stream buffer for it (plus what HTTP/2 flow control lets through), applies the configured
 * policy and counts it, and a fast subscriber on the same gateway gets every message.
 */
class GrpcBackpressureTest {

  private static final int BUFFER = 1000;
  private static final int BATCH = 1000;
  private static final Buffer KIB = Buffer.buffer(new byte[1024]);

  private static SubscribeRequest subscribeAll() {
    return SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter("load/#")).build();
  }

  /** A subscriber that reads as fast as it can and keeps only a count, checking the order. */
  static final class FastReader implements io.grpc.stub.StreamObserver<SubscribeResponse> {
    volatile int deliveries;
    volatile boolean subscribed;
    volatile boolean inOrder = true;

    @Override
    public void onNext(SubscribeResponse r) {
      if (r.hasSubscribed()) {
        subscribed = true;
        return;
      }
      if (seq(r) != deliveries) {
        inOrder = false;
      }
      deliveries++;
    }

    @Override
    public void onError(Throwable t) {
      inOrder = false;
    }

    @Override
    public void onCompleted() {
    }
  }

  /** Publishes {@code count} 1 KiB QoS 0 messages in batches paced by the fast subscriber. */
  private static void publish(GatewayFixture node, int count, FastReader fast) throws Exception {
    for (int start = 0; start < count; start += BATCH) {
      List<Future<?>> batch = new ArrayList<>(BATCH);
      for (int i = start; i < start + BATCH; i++) {
        batch.add(node.bus.publish(FlowMessage.builder("load/" + (i % 10)).payload(KIB).header("seq", Integer.toString(i)).build()));
      }
      join(Future.all(batch));
      int expected = start + BATCH;
      await().atMost(30, TimeUnit.SECONDS).until(() -> fast.deliveries == expected);
    }
  }

  private static int seq(SubscribeResponse r) {
    return Integer.parseInt(r.getDelivery().getMessage().getHeaders(0).getValue());
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void givenSlowSubscriberAndDropOldest_when100kPublished_thenHeapBoundedOldestDroppedCountedAndFastGetsAll() throws Exception {
    int count = 100_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.DROP_OLDEST));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = new GrpcJavaClient.Recorder<>(1);
      FastReader fast = new FastReader();
      client.async(null).subscribe(subscribeAll(), slow);
      client.async(null).subscribe(subscribeAll(), fast);
      await().until(() -> slow.items.size() == 1 && fast.subscribed);
      long heapBefore = usedHeapAfterGc();

      publish(node, count, fast);

      long heapGrowth = usedHeapAfterGc() - heapBefore;
      assertTrue(heapGrowth < 48L * 1024 * 1024, "100k x 1 KiB would need ~100 MiB unbounded; grew " + heapGrowth);
      double dropped = node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_OLDEST");
      assertTrue(dropped > count - 3 * BUFFER, "dropped " + dropped);
      assertTrue(fast.inOrder, "the fast subscriber gets every message in order");

      slow.request(Integer.MAX_VALUE);
      await().until(() -> slow.items.size() - 1 + (long) dropped == count);
      assertEquals(count - 1, seq(slow.items.get(slow.items.size() - 1)), "DROP_OLDEST keeps the newest");
      long reportedDrops = slow.items.stream().skip(1).mapToLong(r -> r.getDelivery().getDroppedBefore()).sum();
      assertEquals((long) dropped, reportedDrops, "deliveries tell the client how many were dropped before them");
    }
  }

  @Test
  void givenSlowSubscriberAndDropNewest_whenFlooded_thenItKeepsTheEarliestMessages() throws Exception {
    int count = 20_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.DROP_NEWEST));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = new GrpcJavaClient.Recorder<>(1);
      FastReader fast = new FastReader();
      client.async(null).subscribe(subscribeAll(), slow);
      client.async(null).subscribe(subscribeAll(), fast);
      await().until(() -> slow.items.size() == 1 && fast.subscribed);

      publish(node, count, fast);

      double dropped = node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_NEWEST");
      slow.request(Integer.MAX_VALUE);
      await().until(() -> slow.items.size() - 1 + (long) dropped == count);
      for (int i = 1; i <= BUFFER; i++) {
        assertEquals(i - 1, seq(slow.items.get(i)), "DROP_NEWEST keeps the earliest messages");
      }
      for (int i = 2; i < slow.items.size(); i++) {
        assertTrue(seq(slow.items.get(i)) > seq(slow.items.get(i - 1)), "in order");
      }
      assertTrue(fast.inOrder);
    }
  }

  @Test
  void givenSlowSubscriberAndEndStream_whenFlooded_thenResourceExhaustedCountedAndFastUnaffected() throws Exception {
    int count = 10_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.END_STREAM));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = new GrpcJavaClient.Recorder<>(1);
      FastReader fast = new FastReader();
      client.async(null).subscribe(subscribeAll(), slow);
      client.async(null).subscribe(subscribeAll(), fast);
      await().until(() -> slow.items.size() == 1 && fast.subscribed);

      publish(node, count, fast);

      assertEquals(1.0, node.counter("flowsdk_grpc_overflow_ended_total"));
      slow.request(Integer.MAX_VALUE);
      ExecutionException e = assertThrows(ExecutionException.class, () -> slow.done.get(20, TimeUnit.SECONDS));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(e.getCause()).getCode());
      assertTrue(fast.inOrder);
      assertEquals(count, fast.deliveries);
    }
  }
}
