package io.flowsdk.util;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.map.IMap;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.table.FlowTable;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazelcast's async calls reach Vert.x without Hazelcast's default callback executor, which on 2 CPUs starts a
 * thread per callback. The default executor is swapped for one that counts what it is given (Hazelcast's own
 * hook for its test runner) and still runs it, so a call path that falls back to it is seen on any machine. What
 * is counted are the calls of an operation; Hazelcast's own listener registration uses it too, once per open.
 */
class HazelcastFuturesTest {

  private static final AtomicInteger callbacksOnHazelcastDefault = new AtomicInteger();
  private static Executor hazelcastDefault;
  private static Vertx node;
  private static HazelcastInstance hazelcast;

  @BeforeAll
  static void startNode() throws Exception {
    node = join(new TestCluster().startNode());
    hazelcast = ClusterNodes.hazelcast(node);
    hazelcastDefault = ConcurrencyUtil.getDefaultAsyncExecutor();
    ConcurrencyUtil.setDefaultAsyncExecutor(command -> {
      callbacksOnHazelcastDefault.incrementAndGet();
      hazelcastDefault.execute(command);
    });
  }

  @AfterAll
  static void stopNode() throws Exception {
    ConcurrencyUtil.setDefaultAsyncExecutor(hazelcastDefault);
    join(node.close());
  }

  @BeforeEach
  void resetCount() {
    callbacksOnHazelcastDefault.set(0);
  }

  @Test
  void givenClusteredTableQueueAndRouteCalls_thenNoCallbackRunsOnHazelcastsDefaultExecutor() throws Exception {
    FlowTable table = join(FlowTable.clustered(node, "hazelcast-futures"));
    FlowQueue queue = join(FlowQueue.clustered(node, "hazelcast-futures", new QueueOptions()));
    FlowBus bus = join(FlowBus.create(node));
    callbacksOnHazelcastDefault.set(0); // opening and closing register listeners, which Hazelcast chains on it itself
    try {
      for (int i = 0; i < 20; i++) {
        join(table.put("k" + i, Buffer.buffer("v" + i)));
        assertEquals("v" + i, join(table.get("k" + i)).orElseThrow().value().toString());
        join(queue.enqueue(Buffer.buffer("item " + i), 128, Duration.ZERO));
        Optional<QueueItem> item = join(queue.receive());
        assertTrue(item.isPresent(), "an item enqueued here is received here");
        join(queue.ack(item.get().receipt()));
      }
      for (int i = 0; i < 10; i++) {
        FlowSubscription subscription = join(bus.subscribe("hazelcast/futures/" + i, m -> { }));
        join(subscription.close());
      }
      assertEquals(0, callbacksOnHazelcastDefault.get(), "callbacks handed to Hazelcast's default async executor");
    } finally {
      join(queue.close());
      join(table.close());
    }
  }

  @Test
  void givenAFailingCall_thenTheFutureFailsWithItsCauseOnTheCallersContext() throws Exception {
    IMap<String, String> map = hazelcast.getMap("hazelcast-futures-failing");
    Context caller = node.getOrCreateContext();
    Promise<Context> failedOn = Promise.promise();
    Promise<Throwable> cause = Promise.promise();
    caller.runOnContext(v -> HazelcastFutures.on(caller, map.submitToKey("k", entry -> {
      throw new IllegalStateException("refused by the entry processor");
    })).onFailure(e -> {
      failedOn.complete(Vertx.currentContext());
      cause.complete(e);
    }));
    assertSame(caller, join(failedOn.future()));
    assertTrue(join(cause.future()).getMessage().contains("refused by the entry processor"), join(cause.future()).toString());
    assertEquals(0, callbacksOnHazelcastDefault.get(), "callbacks handed to Hazelcast's default async executor");
  }

  @Test
  void givenACallThatSucceeds_thenTheFutureHasItsValue() throws Exception {
    IMap<String, String> map = hazelcast.getMap("hazelcast-futures-values");
    map.set("k", "old");
    Future<String> previous = HazelcastFutures.on(node.getOrCreateContext(), map.putAsync("k", "new"));
    assertEquals("old", join(previous));
    assertEquals("new", map.get("k"));
  }
}
