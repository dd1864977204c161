package io.flowsdk.storage;

import io.flowsdk.FlowError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowStoreTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private FlowStore open(SyncPolicy policy) throws Exception {
    return join(FlowStore.open(vertx, new StoreOptions().setPath(dir.resolve("sub/store.mv").toString()).setSyncPolicy(policy)));
  }

  @ParameterizedTest
  @EnumSource(SyncPolicy.class)
  void givenPutsAndDeletes_whenReopened_thenTheValuesAreThere(SyncPolicy policy) throws Exception {
    FlowStore store = open(policy);
    join(store.put("m", "a", Buffer.buffer("1")));
    join(store.put("m", "b", Buffer.buffer("2")));
    join(store.put("other", "a", Buffer.buffer("x")));
    assertTrue(join(store.delete("m", "b")));
    assertFalse(join(store.delete("m", "b")));
    join(store.close());
    FlowStore again = open(policy);
    assertEquals(Optional.of(Buffer.buffer("1")), join(again.get("m", "a")));
    assertEquals(Optional.empty(), join(again.get("m", "b")));
    assertEquals(Optional.of(Buffer.buffer("x")), join(again.get("other", "a")));
    join(again.close());
  }

  @Test
  void givenManyKeys_whenScannedByPrefixInPages_thenEveryMatchingKeyComesOnceInOrder() throws Exception {
    FlowStore store = open(SyncPolicy.GROUP_COMMIT);
    List<Future<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      puts.add(store.put("m", String.format("user/%02d", i), Buffer.buffer("v" + i)));
    }
    puts.add(store.put("m", "user", Buffer.buffer("not a child")));
    puts.add(store.put("m", "usez/1", Buffer.buffer("after")));
    puts.add(store.put("m", "a", Buffer.buffer("before")));
    join(Future.all(puts));
    List<String> keys = new ArrayList<>();
    String after = null;
    int pages = 0;
    for (List<StoreEntry> page = join(store.scan("m", "user/", null, 10)); !page.isEmpty();
         page = join(store.scan("m", "user/", after, 10))) {
      page.forEach(e -> keys.add(e.key()));
      after = page.get(page.size() - 1).key();
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(java.util.stream.IntStream.range(0, 25).mapToObj(i -> String.format("user/%02d", i)).collect(Collectors.toList()), keys);
    join(store.close());
  }

  @Test
  void givenAStoreLeftOpen_whenVertxCloses_thenItIsCommittedAndClosedSoAnotherInstanceCanOpenIt() throws Exception {
    FlowStore store = open(SyncPolicy.GROUP_COMMIT);
    store.put("m", "a", Buffer.buffer("1"));   // not waited for: closing commits it
    join(vertx.close());
    vertx = Vertx.vertx();
    FlowStore again = open(SyncPolicy.GROUP_COMMIT);
    assertEquals(Optional.of(Buffer.buffer("1")), join(again.get("m", "a")));
    join(again.close());
  }

  @Test
  void givenAClosedStore_whenUsed_thenItFailsWithCancelled() throws Exception {
    FlowStore store = open(SyncPolicy.EVERY_WRITE);
    join(store.close());
    assertEquals(FlowError.CANCELLED, failure(store.get("m", "a")).error());
  }

  @Test
  void givenAFileThatIsNotAStore_whenOpened_thenItFailsWithInternalNamingTheFile() throws Exception {
    Path bad = dir.resolve("bad.mv");
    java.nio.file.Files.writeString(bad, "not an MVStore file, long enough to be read as a header........".repeat(100));
    var e = failure(FlowStore.open(vertx, new StoreOptions().setPath(bad.toString())));
    assertEquals(FlowError.INTERNAL, e.error());
    assertTrue(e.getMessage().startsWith("cannot open the store file " + bad.toAbsolutePath() + ": "), e.getMessage());
  }
}
