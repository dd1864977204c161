package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.grpc.v1.Ack;
import io.flowsdk.grpc.v1.Delivery;
import io.flowsdk.grpc.v1.FlowErrorCode;
import io.flowsdk.grpc.v1.Header;
import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.flowsdk.grpc.v1.SequenceRange;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeAckedResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching on the wire is opt-in: a subscriber that sets {@code max_batch} gets {@code deliveries} in
 * order, within the bounds, with per-delivery acks; one that does not keeps getting one {@code delivery}
 * per response; batched PublishStream messages are acked by sequence ranges, failures one by one, and
 * every bound (stream buffer, heap, credit) holds with batching on.
 */
class GrpcBatchingTest {

  private static final Buffer KIB = Buffer.buffer(new byte[1024]);

  private static SubscribeRequest subscribe(String filter, int qos, int maxBatch) {
    return SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter(filter).setQosValue(qos))
      .setMaxBatch(maxBatch).build();
  }

  private static FlowMessage numbered(String topic, int i, QoS qos, Buffer payload) {
    return FlowMessage.builder(topic).payload(payload).qos(qos).header("seq", Integer.toString(i)).build();
  }

  private static int seq(Delivery d) {
    return Integer.parseInt(d.getMessage().getHeaders(0).getValue());
  }

  /** Every delivery of a Subscribe, in arrival order, and the size of each batch it came in. */
  private static List<Delivery> deliveries(List<SubscribeResponse> responses, List<Integer> batchSizes) {
    List<Delivery> all = new ArrayList<>();
    for (SubscribeResponse r : responses) {
      if (r.hasDeliveries()) {
        batchSizes.add(r.getDeliveries().getDeliveriesCount());
        all.addAll(r.getDeliveries().getDeliveriesList());
      } else if (r.hasDelivery()) {
        batchSizes.add(1);
        all.add(r.getDelivery());
      }
    }
    return all;
  }

  @Test
  void givenOneSubscriberWithMaxBatchAndOneWithout_when2000Published_thenBatchesInOrderForOneSingleDeliveriesForTheOther()
    throws Exception {
    int count = 2000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(count));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> batched = new GrpcJavaClient.Recorder<>();
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> single = new GrpcJavaClient.Recorder<>();
      client.async(null).subscribe(subscribe("batch/#", 0, 64), batched);
      client.async(null).subscribe(subscribe("batch/#", 0, 0), single);
      await().until(() -> batched.items.size() == 1 && single.items.size() == 1);

      for (int i = 0; i < count; i++) {
        node.bus.publish(numbered("batch/" + (i % 7), i, QoS.AT_MOST_ONCE, Buffer.buffer("x")));
      }

      List<Integer> batchSizes = new ArrayList<>();
      await().until(() -> deliveries(batched.items, new ArrayList<>()).size() == count
        && deliveries(single.items, new ArrayList<>()).size() == count);
      List<Delivery> got = deliveries(batched.items, batchSizes);
      for (int i = 0; i < count; i++) {
        assertEquals(i, seq(got.get(i)), "batches keep the publish order");
        assertEquals(i + 1, got.get(i).getDeliveryId(), "delivery ids increase by one across batches");
      }
      assertTrue(batched.items.stream().skip(1).allMatch(SubscribeResponse::hasDeliveries),
        "an opted-in client reads one form only: deliveries");
      IntSummaryStatistics sizes = batchSizes.stream().mapToInt(Integer::intValue).summaryStatistics();
      assertTrue(sizes.getMax() > 1, "what was ready went out together: " + sizes);
      assertTrue(sizes.getMax() <= 64, "no batch above max_batch: " + sizes);
      assertTrue(single.items.stream().skip(1).allMatch(SubscribeResponse::hasDelivery),
        "a client without max_batch gets one delivery per response, as before");
    }
  }

  @Test
  void givenSubscribeAckedWithMaxBatch_whenTheClientAcksOnlyEvenMessages_thenOnlyTheirPublishersSucceed() throws Exception {
    int count = 200;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setMaxUnackedDeliveries(count)
      .setRedeliveryTimeoutMillis(300).setMaxRedeliveries(0));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      List<SubscribeAckedResponse> received = new CopyOnWriteArrayList<>();
      StreamObserver<SubscribeAckedRequest>[] out = new StreamObserver[1];
      out[0] = client.async(null).subscribeAcked(new StreamObserver<>() {
        @Override
        public synchronized void onNext(SubscribeAckedResponse r) {
          received.add(r);
          if (r.hasDeliveries()) {
            Ack.Builder ack = Ack.newBuilder();
            r.getDeliveries().getDeliveriesList().stream().filter(d -> seq(d) % 2 == 0).forEach(d -> ack.addDeliveryIds(d.getDeliveryId()));
            out[0].onNext(SubscribeAckedRequest.newBuilder().setAck(ack).build());
          }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
      });
      out[0].onNext(SubscribeAckedRequest.newBuilder().setSubscribe(subscribe("acked/#", 1, 32)).build());
      await().until(() -> received.size() == 1);

      List<Future<PublishResult>> published = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        published.add(node.bus.publish(numbered("acked/x", i, QoS.AT_LEAST_ONCE, Buffer.buffer("x"))));
      }

      await().atMost(20, TimeUnit.SECONDS).until(() -> published.stream().allMatch(Future::isComplete));
      for (int i = 0; i < count; i++) {
        Future<PublishResult> f = published.get(i);
        if (i % 2 == 0) {
          assertTrue(f.succeeded(), "acked delivery " + i + " completes its publisher: " + f.cause());
        } else {
          assertEquals(FlowError.TIMEOUT, ((FlowException) f.cause()).error(), "unacked delivery " + i + " times out");
        }
      }
      assertTrue(received.stream().anyMatch(r -> r.hasDeliveries() && r.getDeliveries().getDeliveriesCount() > 1),
        "deliveries were batched");
      out[0].onCompleted();
    }
  }

  @Test
  void givenBatchedPublishStreamAtQos1_whenOneMessageIsInvalid_thenRangesAckEveryOtherSequenceOnceAndTheBadOneFails()
    throws Exception {
    int batches = 10;
    int perBatch = 50;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setPublishWindow(batches * perBatch));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
      join(node.bus.subscribe(new SubscriptionOptions().setFilter("pub/#").setQos(QoS.AT_LEAST_ONCE), m -> {
        onBus.add(m);
        return Future.succeededFuture();
      }));
      GrpcJavaClient.Recorder<PublishStreamRequest, PublishStreamResponse> acks = new GrpcJavaClient.Recorder<>();
      StreamObserver<PublishStreamRequest> out = client.async(null).publishStream(acks);
      long bad = 123;
      for (int b = 0; b < batches; b++) {
        PublishStreamRequest.Builder batch = PublishStreamRequest.newBuilder().setSequence(1 + (long) b * perBatch);
        for (int i = 0; i < perBatch; i++) {
          long sequence = 1 + (long) b * perBatch + i;
          batch.addMessages(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic(sequence == bad ? "pub/+" : "pub/x")
            .setQosValue(1).addHeaders(Header.newBuilder().setName("seq").setValue(Long.toString(sequence)))
            .setPayload(ByteString.copyFromUtf8("m")));
        }
        out.onNext(batch.build());
      }
      out.onCompleted();
      acks.done.get(20, TimeUnit.SECONDS);

      int[] ackedTimes = new int[batches * perBatch + 1];
      List<PublishAck> failed = new ArrayList<>();
      for (PublishStreamResponse r : acks.items) {
        assertFalse(r.hasAck(), "batched messages are never acked one by one");
        if (r.hasAcks()) {
          for (SequenceRange range : r.getAcks().getPublishedList()) {
            for (long s = range.getFirst(); s <= range.getLast(); s++) {
              ackedTimes[(int) s]++;
            }
          }
          failed.addAll(r.getAcks().getFailedList());
        }
      }
      for (int s = 1; s <= batches * perBatch; s++) {
        assertEquals(s == bad ? 0 : 1, ackedTimes[s], "sequence " + s + " is in the published ranges exactly once unless it failed");
      }
      assertEquals(1, failed.size());
      assertEquals(bad, failed.get(0).getSequence());
      assertEquals(FlowErrorCode.FLOW_ERROR_CODE_INVALID, failed.get(0).getFailure().getCode());
      assertEquals(batches * perBatch - 1, onBus.size());
      for (int i = 1; i < onBus.size(); i++) {
        assertTrue(Long.parseLong(onBus.get(i).headers().get(0).value()) > Long.parseLong(onBus.get(i - 1).headers().get(0).value()),
          "the bus got the batches in order");
      }
    }
  }

  @Test
  void givenABatchBeyondTheCredit_whenSent_thenTheStreamEndsResourceExhausted() throws Exception {
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setPublishWindow(10));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      join(node.bus.subscribe(new SubscriptionOptions().setFilter("credit/#").setQos(QoS.AT_LEAST_ONCE), m -> io.vertx.core.Promise.<Void>promise().future()));
      GrpcJavaClient.Recorder<PublishStreamRequest, PublishStreamResponse> acks = new GrpcJavaClient.Recorder<>();
      StreamObserver<PublishStreamRequest> out = client.async(null).publishStream(acks);
      PublishStreamRequest.Builder batch = PublishStreamRequest.newBuilder().setSequence(1);
      for (int i = 0; i < 11; i++) {
        batch.addMessages(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic("credit/x").setQosValue(1));
      }
      out.onNext(batch.build());

      ExecutionException e = assertThrows(ExecutionException.class, () -> acks.done.get(20, TimeUnit.SECONDS));
      Status status = Status.fromThrowable(e.getCause());
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
      assertEquals("sequence 11 exceeds the credit of 10 unacknowledged messages; wait for acks before sending more",
        status.getDescription());
    }
  }

  @Test
  void givenASlowBatchingSubscriber_when30kPublished_thenHeapBoundedDropsCountedAndWhatItReadsIsInOrder() throws Exception {
    int count = 30_000;
    int buffer = 1000;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setStreamBufferSize(buffer)
      .setOverflowPolicy(StreamOverflowPolicy.DROP_OLDEST));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> slow = new GrpcJavaClient.Recorder<>(1);
      client.async(null).subscribe(subscribe("slow/#", 0, 256), slow);
      await().until(() -> slow.items.size() == 1);
      long heapBefore = usedHeapAfterGc();

      for (int start = 0; start < count; start += 1000) {
        for (int i = start; i < start + 1000; i++) {
          node.bus.publish(numbered("slow/x", i, QoS.AT_MOST_ONCE, KIB));
        }
        int published = start + 1000;
        await().until(() -> node.counter("flowsdk.bus.delivered") == published);
      }

      long heapGrowth = usedHeapAfterGc() - heapBefore;
      assertTrue(heapGrowth < 16L * 1024 * 1024, "30k x 1 KiB would need ~30 MiB unbounded; grew " + heapGrowth);
      double dropped = node.counter("flowsdk_grpc_dropped_total", "policy", "DROP_OLDEST");
      assertTrue(dropped >= count - 3 * buffer, "the stream held at most its buffer and two more of it in HTTP/2 and socket buffers; dropped " + dropped);
      slow.request(Integer.MAX_VALUE);
      await().until(() -> deliveries(slow.items, new ArrayList<>()).size() + (long) dropped == count);
      List<Delivery> got = deliveries(slow.items, new ArrayList<>());
      for (int i = 1; i < got.size(); i++) {
        assertTrue(seq(got.get(i)) > seq(got.get(i - 1)), "in order");
      }
      assertEquals(count - 1, seq(got.get(got.size() - 1)), "DROP_OLDEST keeps the newest");
      assertEquals((long) dropped, got.stream().mapToLong(Delivery::getDroppedBefore).sum(),
        "the deliveries in batches tell the client how many were dropped before them");
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
