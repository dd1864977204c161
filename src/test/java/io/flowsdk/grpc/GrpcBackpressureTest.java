package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeAckedResponse;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    return subscribeAll(io.flowsdk.grpc.v1.QoS.QOS_AT_MOST_ONCE);
  }

  private static SubscribeRequest subscribeAll(io.flowsdk.grpc.v1.QoS qos) {
    return SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter("load/#").setQos(qos)).build();
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
    publish(node, count, fast, QoS.AT_MOST_ONCE);
  }

  /**
   * Publishes {@code count} 1 KiB messages at {@code qos} in batches paced by the fast subscriber and
   * returns the publishers' futures (at QoS 1/2 those held by the slow subscriber are still pending).
   */
  private static List<Future<PublishResult>> publish(GatewayFixture node, int count, FastReader fast, QoS qos) {
    List<Future<PublishResult>> all = new ArrayList<>(count);
    for (int start = 0; start < count; start += BATCH) {
      for (int i = start; i < start + BATCH; i++) {
        all.add(node.bus.publish(FlowMessage.builder("load/" + (i % 10)).payload(KIB).qos(qos)
          .header("seq", Integer.toString(i)).build()));
      }
      int expected = start + BATCH;
      await().atMost(30, TimeUnit.SECONDS).until(() -> fast.deliveries == expected);
    }
    return all;
  }

  /** Waits for every publish to end and returns the failures, which must all be FlowExceptions. */
  private static List<FlowException> failures(List<Future<PublishResult>> published) {
    await().atMost(30, TimeUnit.SECONDS).until(() -> published.stream().allMatch(Future::isComplete));
    List<FlowException> failed = new ArrayList<>();
    for (Future<PublishResult> f : published) {
      if (f.failed()) {
        assertTrue(f.cause() instanceof FlowException, "a typed failure, got " + f.cause());
        failed.add((FlowException) f.cause());
      }
    }
    return failed;
  }

  private static int seq(SubscribeResponse r) {
    return Integer.parseInt(r.getDelivery().getMessage().getHeaders(0).getValue());
  }

  /** A subscriber that takes one response and then stops reading, beside a fast one, both subscribed. */
  private record SlowAndFast(GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow, FastReader fast) {

    static SlowAndFast subscribe(GrpcJavaClient client, io.flowsdk.grpc.v1.QoS qos) {
      SlowAndFast pair = new SlowAndFast(new GrpcJavaClient.Recorder<>(1), new FastReader());
      client.async(null).subscribe(subscribeAll(qos), pair.slow);
      client.async(null).subscribe(subscribeAll(qos), pair.fast);
      await().until(() -> pair.slow.items.size() == 1 && pair.fast.subscribed);
      return pair;
    }
  }

  /** Once the slow subscriber reads again: it got the first {@link #BUFFER} messages, then the rest in order. */
  private static void assertKeptTheEarliestInOrder(GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow,
                                                   double dropped, int count) {
    await().until(() -> slow.items.size() - 1 + (long) dropped == count);
    for (int i = 1; i <= BUFFER; i++) {
      assertEquals(i - 1, seq(slow.items.get(i)), "DROP_NEWEST keeps the earliest messages");
    }
    for (int i = 2; i < slow.items.size(); i++) {
      assertTrue(seq(slow.items.get(i)) > seq(slow.items.get(i - 1)), "in order");
    }
  }

  /** The slow subscriber's stream, once it reads again, ends with RESOURCE_EXHAUSTED (the END_STREAM policy). */
  private static void assertEndedResourceExhausted(GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> slow.done.get(20, TimeUnit.SECONDS));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(e.getCause()).getCode());
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
      SlowAndFast subscribers = SlowAndFast.subscribe(client, io.flowsdk.grpc.v1.QoS.QOS_AT_MOST_ONCE);
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = subscribers.slow();
      FastReader fast = subscribers.fast();
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
      SlowAndFast subscribers = SlowAndFast.subscribe(client, io.flowsdk.grpc.v1.QoS.QOS_AT_MOST_ONCE);
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = subscribers.slow();
      FastReader fast = subscribers.fast();

      publish(node, count, fast);

      double dropped = node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_NEWEST");
      slow.request(Integer.MAX_VALUE);
      assertKeptTheEarliestInOrder(slow, dropped, count);
      assertTrue(fast.inOrder);
    }
  }

  @Test
  void givenSlowSubscriberAndEndStream_whenFlooded_thenResourceExhaustedCountedAndFastUnaffected() throws Exception {
    int count = 10_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.END_STREAM));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      SlowAndFast subscribers = SlowAndFast.subscribe(client, io.flowsdk.grpc.v1.QoS.QOS_AT_MOST_ONCE);
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = subscribers.slow();
      FastReader fast = subscribers.fast();

      publish(node, count, fast);

      assertEquals(1.0, node.counter("flowsdk_grpc_overflow_ended_total"));
      slow.request(Integer.MAX_VALUE);
      assertEndedResourceExhausted(slow);
      assertTrue(fast.inOrder);
      assertEquals(count, fast.deliveries);
    }
  }

  @Test
  void givenSlowSubscriberAndDropNewest_whenFloodedAtQos1_thenTheStreamDropsCountsAndFailsThePublishers() throws Exception {
    int count = 5_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.DROP_NEWEST));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      SlowAndFast subscribers = SlowAndFast.subscribe(client, io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE);
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = subscribers.slow();
      FastReader fast = subscribers.fast();

      List<Future<PublishResult>> published = publish(node, count, fast, QoS.AT_LEAST_ONCE);

      double dropped = node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_NEWEST");
      assertTrue(dropped > count - 3 * BUFFER, "the stream's own buffer overflows at QoS 1; dropped " + dropped);
      assertEquals(0.0, node.counter("flowsdk.bus.dropped"), "nothing waits in (or is dropped by) the bus's buffer");
      slow.request(Integer.MAX_VALUE);
      List<FlowException> failed = failures(published);
      assertEquals((long) dropped, failed.size(), "each drop fails its publisher");
      for (FlowException e : failed) {
        assertEquals(FlowError.OVERLOADED, e.error());
        assertEquals("dropped by a full gRPC subscriber buffer (DROP_NEWEST)", e.getMessage());
      }
      assertKeptTheEarliestInOrder(slow, dropped, count);
      assertTrue(fast.inOrder);
    }
  }

  @Test
  void givenSlowSubscriberAndEndStream_whenFloodedAtQos2_thenResourceExhaustedAndFastGetsAll() throws Exception {
    int count = 5_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setOverflowPolicy(StreamOverflowPolicy.END_STREAM));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      SlowAndFast subscribers = SlowAndFast.subscribe(client, io.flowsdk.grpc.v1.QoS.QOS_EXACTLY_ONCE);
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = subscribers.slow();
      FastReader fast = subscribers.fast();

      List<Future<PublishResult>> published = publish(node, count, fast, QoS.EXACTLY_ONCE);

      assertEquals(1.0, node.counter("flowsdk_grpc_overflow_ended_total"), "the stream's END_STREAM applies at QoS 2");
      slow.request(Integer.MAX_VALUE);
      assertEndedResourceExhausted(slow);
      assertEquals(0.0, node.counter("flowsdk.bus.dropped"));
      List<FlowException> failed = failures(published);
      assertFalse(failed.isEmpty(), "the messages the ended stream did not take fail their publishers");
      assertTrue(failed.stream().anyMatch(f -> f.error() == FlowError.OVERLOADED), "the overflowing one is OVERLOADED");
      assertTrue(fast.inOrder);
      assertEquals(count, fast.deliveries);
    }
  }

  @Test
  void givenSubscribeAckedThatNeverAcksAndDropOldest_whenFloodedAtQos1_thenTheStreamBufferDropsAndCounts() throws Exception {
    int count = 5_000;
    int unacked = 10;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(BUFFER)
      .setMaxUnackedDeliveries(unacked).setRedeliveryTimeoutMillis(600_000).setOverflowPolicy(StreamOverflowPolicy.DROP_OLDEST));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeAckedRequest, SubscribeAckedResponse> silent = new GrpcJavaClient.Recorder<>(Integer.MAX_VALUE);
      FastReader fast = new FastReader();
      io.grpc.stub.StreamObserver<SubscribeAckedRequest> requests = client.async(null).subscribeAcked(silent);
      requests.onNext(SubscribeAckedRequest.newBuilder().setSubscribe(subscribeAll(io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE)).build());
      client.async(null).subscribe(subscribeAll(), fast);
      await().until(() -> silent.items.size() == 1 && fast.subscribed);

      publish(node, count, fast, QoS.AT_LEAST_ONCE);

      await().until(() -> silent.items.size() == 1 + unacked);
      assertEquals((double) count - unacked - BUFFER, node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_OLDEST"),
        "beyond maxUnackedDeliveries the stream buffers streamBufferSize and drops the rest");
      assertEquals(0.0, node.counter("flowsdk.bus.dropped"));
      requests.onCompleted();
    }
  }

  @Test
  void givenQos1DeliveriesHeldForASubscriberThatDoesNotRead_whenItCancels_thenEachPublisherGetsDisconnected() throws Exception {
    int count = 3_000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(count));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = new GrpcJavaClient.Recorder<>(1);
      client.async(null).subscribe(subscribeAll(io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE), slow);
      await().until(() -> slow.items.size() == 1);
      List<Future<PublishResult>> published = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        published.add(node.bus.publish(FlowMessage.builder("load/" + i).payload(KIB).qos(QoS.AT_LEAST_ONCE).build()));
      }
      await().until(() -> node.counter("flowsdk.bus.delivered") == count);

      slow.call.cancel("going away", null);

      List<FlowException> failed = failures(published);
      assertFalse(failed.isEmpty(), "some deliveries were still held for the subscriber");
      for (FlowException e : failed) {
        assertEquals(FlowError.DISCONNECTED, e.error(), e.getMessage());
      }
    }
  }
}
