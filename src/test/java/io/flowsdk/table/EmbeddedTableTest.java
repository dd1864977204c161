package io.flowsdk.table;

import io.flowsdk.FlowError;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedTableTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private FlowBus bus;
  private FlowStore store;
  private FlowTable table;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx));
    store = join(FlowStore.open(vertx, new StoreOptions().setPath(dir.resolve("t.mv").toString())));
    table = join(FlowTable.embedded(vertx, "config", store));
  }

  @AfterEach
  void tearDown() throws Exception {
    join(table.close());
    join(store.close());
    join(vertx.close());
  }

  private static Buffer b(String s) {
    return Buffer.buffer(s);
  }

  @Test
  void givenPuts_thenVersionsGrowByOneAndGetReturnsTheLatest() throws Exception {
    assertEquals(1, join(table.put("a", b("1"))).version());
    assertEquals(2, join(table.put("a", b("2"))).version());
    TableEntry got = join(table.get("a")).orElseThrow();
    assertEquals("2", got.value().toString());
    assertEquals(2, got.version());
    assertTrue(join(table.get("missing")).isEmpty());
  }

  @Test
  void givenAnExistingKey_whenPutIfAbsent_thenRefusedWithItsVersion() throws Exception {
    assertEquals(1, join(table.putIfAbsent("a", b("1"), Duration.ZERO)).version());
    var e = failure(table.putIfAbsent("a", b("x"), Duration.ZERO));
    assertEquals(FlowError.REFUSED, e.error());
    assertEquals("table config: key 'a' exists (version 1)", e.getMessage());
    assertEquals("1", join(table.get("a")).orElseThrow().value().toString());
  }

  @Test
  void givenAStaleVersion_whenCompareAndSet_thenRefusedNamingTheVersionFound() throws Exception {
    join(table.put("a", b("1")));
    join(table.put("a", b("2")));
    var e = failure(table.compareAndSet("a", 1, b("x"), Duration.ZERO));
    assertEquals(FlowError.REFUSED, e.error());
    assertEquals("table config: key 'a' is at version 2, not 1", e.getMessage());
    assertEquals("table config: key 'b' is at version 0 (absent), not 3", failure(table.compareAndSet("b", 3, b("x"), Duration.ZERO)).getMessage());
    assertEquals(3, join(table.compareAndSet("a", 2, b("3"), Duration.ZERO)).version());
    assertEquals(1, join(table.compareAndSet("b", 0, b("new"), Duration.ZERO)).version());
  }

  @Test
  void givenADeletedKey_thenItIsAbsentAndADeleteOfItReturnsFalse() throws Exception {
    join(table.put("a", b("1")));
    assertTrue(join(table.delete("a")));
    assertFalse(join(table.delete("a")));
    assertTrue(join(table.get("a")).isEmpty());
  }

  @Test
  void givenAKeyThatIsNoTopicLevel_thenTheCallFailsWithInvalid() {
    var e = failure(table.put("a/+", b("1")));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("table config: key 'a/+' is not valid: topic name '$table/config/a/+' must not contain the wildcard '+'", e.getMessage());
    assertEquals(FlowError.INVALID, failure(table.get("")).error());
  }

  @Test
  void givenATtl_whenItRunsOut_thenTheEntryIsAbsentAndTheSweepPublishesExpired() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    join(bus.subscribe("$table/config/#", m -> changes.add(m.header("op") + " " + m.header("version"))));
    join(table.put("short", b("1"), Duration.ofMillis(200)));
    join(table.put("long", b("1"), Duration.ofHours(1)));
    assertTrue(join(table.get("short")).isPresent());
    await().atMost(Duration.ofSeconds(5)).until(() -> join(table.get("short")).isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> changes.contains("expired 1"));
    assertTrue(join(table.get("long")).isPresent());
    assertEquals(List.of("long"), join(table.scan("", null, 10)).stream().map(TableEntry::key).collect(Collectors.toList()));
  }

  @Test
  void givenManyKeys_whenScannedInPages_thenEachPrefixedKeyComesOnceInOrder() throws Exception {
    List<Future<TableEntry>> puts = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      puts.add(table.put(String.format("dev/%02d", i), b("v")));
    }
    puts.add(table.put("other", b("v")));
    join(Future.all(puts));
    List<String> keys = new ArrayList<>();
    String after = null;
    for (List<TableEntry> page = join(table.scan("dev/", null, 10)); !page.isEmpty(); page = join(table.scan("dev/", after, 10))) {
      page.forEach(e -> keys.add(e.key()));
      after = page.get(page.size() - 1).key();
    }
    assertEquals(IntStream.range(0, 23).mapToObj(i -> String.format("dev/%02d", i)).collect(Collectors.toList()), keys);
  }

  @Test
  void givenConcurrentWritersOnSeveralEventLoops_thenWatchersSeeEveryChangeOfEachKeyInVersionOrder() throws Exception {
    Map<String, List<Long>> seen = new ConcurrentHashMap<>();
    join(bus.subscribe("$table/config/#", (FlowMessage m) ->
      seen.computeIfAbsent(m.topic(), t -> new CopyOnWriteArrayList<>()).add(Long.parseLong(m.header("version")))));
    int writers = 4;
    int perWriter = 50;
    List<Future<String>> deployed = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      deployed.add(vertx.deployVerticle(new AbstractVerticle() {
        @Override
        public void start() {
          for (int i = 0; i < perWriter; i++) {
            table.put("k" + (i % 3), b("x"));
          }
        }
      }));
    }
    join(Future.all(deployed));
    int total = writers * perWriter;
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.values().stream().mapToInt(List::size).sum() == total);
    for (Map.Entry<String, List<Long>> e : seen.entrySet()) {
      List<Long> versions = e.getValue();
      assertEquals(LongStreamRange.of(versions.size()), versions, e.getKey() + " changes out of order");
    }
  }

  @Test
  void givenConcurrentCasIncrementsFromSeveralEventLoops_thenTheCounterIsTheExactTotal() throws Exception {
    List<Future<Void>> done = new ArrayList<>();
    for (int w = 0; w < 4; w++) { // from the test thread, each runOnContext takes a new context (event loops round robin)
      done.add(Future.future(p -> vertx.runOnContext(v -> TableCounter.increment(table, "counter", 25).onComplete(p))));
    }
    join(Future.all(done));
    assertEquals("100", join(table.get("counter")).orElseThrow().value().toString());
  }

  /** 1, 2, ..., n. */
  private static final class LongStreamRange {
    static List<Long> of(int n) {
      return java.util.stream.LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
    }
  }
}
