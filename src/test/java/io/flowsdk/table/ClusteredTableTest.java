package io.flowsdk.table;

import io.flowsdk.FlowError;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table on the Hazelcast map of a three-node cluster. */
class ClusteredTableTest {

  private static final int NODES = 3;
  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<FlowTable> tables = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    TestCluster cluster = new TestCluster();
    for (int i = 0; i < NODES; i++) {
      Vertx vertx = join(cluster.startNode());
      nodes.add(vertx);
      tables.add(join(FlowTable.clustered(vertx, "shared")));
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      join(tables.get(i).close());
      join(nodes.get(i).close());
    }
  }

  @Test
  void givenConcurrentCasIncrementsFromEveryNode_thenTheCounterIsTheExactTotal() throws Exception {
    int perNode = 40;
    List<Future<Void>> done = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      FlowTable table = tables.get(n);
      for (int worker = 0; worker < 2; worker++) {
        Vertx vertx = nodes.get(n);
        done.add(Future.future(p -> vertx.runOnContext(v -> TableCounter.increment(table, "counter", perNode / 2).onComplete(p))));
      }
    }
    join(Future.all(done));
    for (FlowTable table : tables) {
      TableEntry counter = join(table.get("counter")).orElseThrow();
      assertEquals(Long.toString(NODES * perNode), counter.value().toString());
      assertEquals(NODES * perNode, counter.version());
    }
  }

  @Test
  void givenChangesFromEveryNode_thenAWatcherOnOneNodeSeesEachKeysChangesInVersionOrder() throws Exception {
    FlowBus watcherBus = join(FlowBus.create(nodes.get(0)));
    Map<String, List<Long>> seen = new ConcurrentHashMap<>();
    join(watcherBus.subscribe("$table/shared/watch/#", (FlowMessage m) ->
      seen.computeIfAbsent(m.topic(), t -> new CopyOnWriteArrayList<>()).add(Long.parseLong(m.header("version")))));
    await().until(() -> join(join(FlowBus.create(nodes.get(2))).routeOf("$table/shared/watch/k0")).size() == 1);
    int perNode = 30;
    List<Future<TableEntry>> puts = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      for (int i = 0; i < perNode; i++) {
        puts.add(tables.get(n).put("watch/k" + (i % 4), Buffer.buffer("n" + n)));
      }
    }
    join(Future.all(puts));
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.values().stream().mapToInt(List::size).sum() == NODES * perNode);
    assertEquals(4, seen.size());
    for (Map.Entry<String, List<Long>> e : seen.entrySet()) {
      assertEquals(LongStream.rangeClosed(1, e.getValue().size()).boxed().collect(Collectors.toList()), e.getValue(),
        e.getKey() + " changes out of order");
    }
  }

  @Test
  void givenATtl_whenItRunsOut_thenNoNodeSeesTheEntryAndAnExpiredChangeIsPublished() throws Exception {
    List<String> expired = new CopyOnWriteArrayList<>();
    join(join(FlowBus.create(nodes.get(1))).subscribe("$table/shared/ttl/#", m -> expired.add(m.header("op") + " " + m.header("version"))));
    join(tables.get(0).put("ttl/a", Buffer.buffer("1"), Duration.ofMillis(300)));
    assertTrue(join(tables.get(1).get("ttl/a")).isPresent());
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      for (FlowTable t : tables) {
        if (join(t.get("ttl/a")).isPresent()) {
          return false;
        }
      }
      return true;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> expired.contains("expired 1"));
  }

  @Test
  void givenAnotherNodesEntry_whenPutIfAbsent_thenRefused() throws Exception {
    join(tables.get(1).put("pia", Buffer.buffer("1")));
    var e = failure(tables.get(2).putIfAbsent("pia", Buffer.buffer("2"), Duration.ZERO));
    assertEquals(FlowError.REFUSED, e.error());
    assertEquals("table shared: key 'pia' exists (version 1)", e.getMessage());
  }

  @Test
  void givenEntriesWrittenOnSeveralNodes_whenScannedInPages_thenEveryPrefixedKeyComesOnceInOrder() throws Exception {
    List<Future<TableEntry>> puts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      puts.add(tables.get(i % NODES).put(String.format("scan/%02d", i), Buffer.buffer("v")));
    }
    join(Future.all(puts));
    List<String> keys = new ArrayList<>();
    String after = null;
    for (List<TableEntry> page = join(tables.get(0).scan("scan/", null, 5)); !page.isEmpty(); page = join(tables.get(0).scan("scan/", after, 5))) {
      page.forEach(e -> keys.add(e.key()));
      after = page.get(page.size() - 1).key();
    }
    assertEquals(java.util.stream.IntStream.range(0, 12).mapToObj(i -> String.format("scan/%02d", i)).collect(Collectors.toList()), keys);
  }
}
