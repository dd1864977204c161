package io.flowsdk.table;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clustered table loses nothing when a member stops without handing its partitions over: every key it owned
 * comes back from its backup with the value, version and expiry its last acknowledged change left.
 */
class ClusteredTableFailoverTest {

  private static final int NODES = 3;
  private static final int KEYS = 300;
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void stopCluster() throws Exception {
    for (Vertx vertx : nodes) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void givenAcknowledgedChanges_whenTheMemberOwningSomeIsTerminated_thenTheOthersHaveEveryKeyAsLastChanged() throws Exception {
    TestCluster cluster = new TestCluster();
    List<FlowTable> tables = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(join(cluster.startNode()));
      tables.add(join(FlowTable.clustered(nodes.get(i), "failover")));
    }
    FlowTable writer = tables.get(0);
    HazelcastInstance doomed = ClusterNodes.hazelcast(nodes.get(2));
    // the partitions settled, so the keys the member owns as they are written are the ones it owns when it stops
    await().atMost(60, TimeUnit.SECONDS).until(() -> doomed.getPartitionService().isClusterSafe()
      && doomed.getPartitionService().getPartitions().stream().filter(p -> p.getOwner() != null && p.getOwner().localMember()).count()
      >= doomed.getPartitionService().getPartitions().size() / 4);
    TreeMap<String, String> expected = new TreeMap<>(); // key -> "version value", or "absent"
    List<String> doomedKeys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      String key = "k/" + k;
      TableEntry entry = join(writer.put(key, Buffer.buffer("one")));
      if (k % 2 == 0) {
        entry = join(writer.compareAndSet(key, entry.version(), Buffer.buffer("two"), Duration.ZERO));
      }
      if (k % 3 == 0) {
        FlowException refused = failure(writer.compareAndSet(key, entry.version() + 7, Buffer.buffer("stale"), Duration.ZERO));
        assertEquals(FlowError.REFUSED, refused.error());
        assertEquals(FlowError.REFUSED, failure(writer.putIfAbsent(key, Buffer.buffer("again"), Duration.ZERO)).error());
      }
      if (k % 5 == 0) {
        assertTrue(join(writer.delete(key)));
        expected.put(key, "absent");
      } else {
        expected.put(key, entry.version() + " " + entry.value());
      }
      if (doomed.getPartitionService().getPartition(key).getOwner().localMember()) {
        doomedKeys.add(key);
      }
    }
    String expiring = "expiring/" + doomedKeys.get(0);
    while (!doomed.getPartitionService().getPartition(expiring).getOwner().localMember()) {
      expiring += "x";
    }
    String expiringKey = expiring;
    TableEntry shortLived = join(writer.put(expiringKey, Buffer.buffer("soon gone"), Duration.ofSeconds(2)));
    assertTrue(doomedKeys.size() > KEYS / 10, "the member to terminate owns " + doomedKeys.size() + " of the keys");

    doomed.getLifecycleService().terminate();
    HazelcastInstance survivor = ClusterNodes.hazelcast(nodes.get(1));
    await().atMost(30, TimeUnit.SECONDS).until(() -> survivor.getCluster().getMembers().size() == NODES - 1
      && survivor.getPartitionService().isClusterSafe());

    List<String> wrong = new ArrayList<>();
    for (String key : expected.keySet()) {
      Optional<TableEntry> entry = join(tables.get(1).get(key));
      String found = entry.map(e -> e.version() + " " + e.value()).orElse("absent");
      if (!found.equals(expected.get(key))) {
        wrong.add(key + ": " + found + " instead of " + expected.get(key));
      }
    }
    assertEquals(List.of(), wrong);
    String moved = doomedKeys.stream().filter(key -> !expected.get(key).equals("absent")).findFirst().orElseThrow();
    long version = Long.parseLong(expected.get(moved).split(" ")[0]);
    assertEquals(version + 1, join(tables.get(0).compareAndSet(moved, version, Buffer.buffer("after"), Duration.ZERO)).version(),
      "the versions go on from the backup's");
    assertEquals(shortLived.expiresAt(), join(tables.get(1).get(expiringKey)).orElseThrow().expiresAt());
    IMap<String, byte[]> map = survivor.getMap("flowsdk.table.failover");
    await().atMost(10, TimeUnit.SECONDS).until(() -> !map.containsKey(expiringKey));
  }
}
