package io.flowsdk.queue;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.FlowError;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue behaviour on the Hazelcast maps of a three-node cluster, and consumers competing across it. */
class ClusteredQueueTest extends FlowQueueSpec {

  private static final int NODES = 3;
  private static final List<Vertx> nodes = new ArrayList<>();
  private final List<FlowQueue> opened = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    TestCluster cluster = new TestCluster();
    for (int i = 0; i < NODES; i++) {
      nodes.add(join(cluster.startNode()));
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Vertx vertx : nodes) {
      join(vertx.close());
    }
  }

  @AfterEach
  void closeQueues() throws Exception {
    for (FlowQueue q : opened) {
      join(q.close());
    }
    opened.clear();
  }

  @Override
  Vertx vertx() {
    return nodes.get(0);
  }

  @Override
  FlowQueue queue(QueueOptions options) throws Exception {
    FlowQueue q = join(FlowQueue.clustered(nodes.get(0), name, options));
    opened.add(q);
    return q;
  }

  private List<FlowQueue> onEveryNode(QueueOptions options) throws Exception {
    List<FlowQueue> queues = new ArrayList<>();
    for (Vertx vertx : nodes) {
      queues.add(join(FlowQueue.clustered(vertx, name, options)));
      opened.add(queues.get(queues.size() - 1));
    }
    return queues;
  }

  /**
   * The entry listener can index an item before its store call answers; counted both as held and as being stored,
   * it made a full queue of an enqueue short of full (seen as a refused second item of a queue of two).
   */
  @Test
  void givenAsManyConcurrentEnqueuesAsTheCapacity_thenEveryOneIsTakenAndTheNextRefused() throws Exception {
    int capacity = 40;
    for (int round = 0; round < 10; round++) {
      FlowQueue q = join(FlowQueue.clustered(nodes.get(0), name + "-" + round, new QueueOptions().setCapacity(capacity)));
      opened.add(q);
      List<Future<String>> enqueues = new ArrayList<>();
      for (int i = 0; i < capacity; i++) {
        enqueues.add(q.enqueue(Buffer.buffer("item " + i), 1, Duration.ZERO));
      }
      join(Future.join(enqueues).transform(allDone -> Future.succeededFuture()));
      List<String> refusals = enqueues.stream().filter(Future::failed).map(f -> f.cause().getMessage()).toList();
      assertEquals(List.of(), refusals, "round " + round);
      assertEquals(FlowError.OVERLOADED, failure(q.enqueue(Buffer.buffer("one more"), 1, Duration.ZERO)).error());
    }
  }

  @Test
  void givenItemsEnqueuedOnOneNode_whenConsumersOnEveryNodeCompete_thenEachItemGoesToOneAndEveryNodeGetsSome() throws Exception {
    List<FlowQueue> queues = onEveryNode(new QueueOptions());
    int items = 300;
    List<Future<String>> enqueued = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      enqueued.add(queues.get(0).enqueue(Buffer.buffer("item-" + i), 128, Duration.ZERO));
    }
    join(Future.all(enqueued));
    Map<String, Integer> byNode = new ConcurrentHashMap<>();
    Set<String> got = ConcurrentHashMap.newKeySet();
    List<String> twice = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (int n = 0; n < NODES; n++) {
        Optional<QueueItem> item = join(queues.get(n).receive());
        if (item.isPresent()) {
          if (!got.add(item.get().payload().toString())) {
            twice.add(item.get().payload().toString());
          }
          byNode.merge("node-" + n, 1, Integer::sum);
          join(queues.get(n).ack(item.get().receipt()));
        }
      }
      return got.size() == items;
    });
    assertEquals(List.of(), twice);
    assertEquals(NODES, byNode.size(), "every node's consumer got items: " + byNode);
    assertEquals(0, join(queues.get(2).size()));
  }

  @Test
  void givenAnItemReceivedOnOneNode_thenItsReceiptWorksOnAnotherAndNoOtherNodeGetsItMeanwhile() throws Exception {
    List<FlowQueue> queues = onEveryNode(new QueueOptions());
    join(queues.get(0).enqueue(Buffer.buffer("one"), 128, Duration.ZERO));
    QueueItem item = await().atMost(Duration.ofSeconds(10)).until(() -> join(queues.get(1).receive()), Optional::isPresent).orElseThrow();
    assertTrue(join(queues.get(0).receive()).isEmpty());
    assertTrue(join(queues.get(2).receive()).isEmpty());
    join(queues.get(2).extend(item.receipt(), Duration.ofMinutes(1)));
    join(queues.get(0).ack(item.receipt()));
    assertEquals(0, join(queues.get(1).size()));
    Set<String> none = new HashSet<>();
    for (FlowQueue q : queues) {
      join(q.receive()).ifPresent(i -> none.add(i.id()));
    }
    assertEquals(Set.of(), none);
  }

  @Test
  void givenItemsEnqueuedOnTwoNodes_whenOneReceives_thenItsOwnItemsComeFirstWithinAPriorityAndTheOthersAfter() throws Exception {
    List<FlowQueue> queues = onEveryNode(new QueueOptions());
    String remote = join(queues.get(1).enqueue(Buffer.buffer("remote"), 128, Duration.ZERO));
    String own = join(queues.get(0).enqueue(Buffer.buffer("own"), 128, Duration.ZERO));
    String urgent = join(queues.get(1).enqueue(Buffer.buffer("urgent"), 200, Duration.ZERO));
    HazelcastInstance hz = ClusterNodes.hazelcast(nodes.get(0));
    assertTrue(hz.getPartitionService().getPartition(own).getOwner().localMember(), own + " is on a partition node 0 owns");
    await().atMost(Duration.ofSeconds(10)).until(() -> join(queues.get(0).size()) == 3);

    List<String> order = new ArrayList<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      join(queues.get(0).receive()).ifPresent(item -> order.add(item.id()));
      return order.size() == 3;
    });

    assertEquals(List.of(urgent, own, remote), order);
  }

  @Test
  void givenAnItemDeadOnOneNode_thenAnotherNodesDeadLettersDeliverItWithItsHistory() throws Exception {
    List<FlowQueue> queues = onEveryNode(new QueueOptions().setMaxAttempts(1));
    String id = join(queues.get(0).enqueue(Buffer.buffer("poison"), 0, Duration.ZERO));
    QueueItem item = await().atMost(Duration.ofSeconds(10)).until(() -> join(queues.get(1).receive()), Optional::isPresent).orElseThrow();
    join(queues.get(1).nack(item.receipt(), Duration.ZERO));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(queues.get(0).receive()).isEmpty() && join(queues.get(0).size()) == 0);

    FlowQueue dead = queues.get(2).deadLetters();
    QueueItem letter = await().atMost(Duration.ofSeconds(10)).until(() -> join(dead.receive()), Optional::isPresent).orElseThrow();
    assertEquals(id, letter.id());
    assertEquals(List.of(PastDelivery.Ending.NACKED), letter.deliveries().stream().map(PastDelivery::ending).toList());
    assertTrue(join(queues.get(0).deadLetters().receive()).isEmpty(), "in flight from node 2");
    join(queues.get(1).deadLetters().ack(letter.receipt()));
    assertEquals(0, join(queues.get(0).stats()).deadLetters());
  }
}
