package io.flowsdk.storage;

import io.flowsdk.testing.StoreWriterProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store process killed with kill -9 mid-write has, reopened, every write it acknowledged, each batch whole. */
class FlowStoreCrashTest {

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

  @ParameterizedTest
  @EnumSource(SyncPolicy.class)
  void givenAWriterKilledWithKill9_whenTheStoreIsReopened_thenEveryAcknowledgedBatchIsThereWhole(SyncPolicy policy) throws Exception {
    Path file = dir.resolve("crash.mv");
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    CountDownLatch enough = new CountDownLatch(300);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process writer = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
      StoreWriterProcess.class.getName(), file.toString(), policy.name()).redirectErrorStream(true).start();
    try {
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("ACK ")) {
              acked.add(Integer.parseInt(line.substring(4)));
              enough.countDown();
            }
          }
        } catch (Exception ignored) {
          // the process was killed
        }
      });
      reader.start();
      assertTrue(enough.await(60, TimeUnit.SECONDS), "the writer acknowledged only " + acked.size() + " batches");
    } finally {
      writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Set<Integer> ackedAtKill = Set.copyOf(acked);
    FlowStore store = join(FlowStore.open(vertx, new StoreOptions().setPath(file.toString())));
    int items = 0;
    for (int n : ackedAtKill) {
      assertTrue(join(store.get("items", StoreWriterProcess.key(n))).isPresent(), "acknowledged item " + n + " was lost");
    }
    String after = null;
    for (var page = join(store.scan("items", "item-", null, 500)); !page.isEmpty();
         page = join(store.scan("items", "item-", after, 500))) {
      for (StoreEntry e : page) {
        assertTrue(join(store.get("index", e.key())).isPresent(), "batch of " + e.key() + " is half on disk");
        items++;
      }
      after = page.get(page.size() - 1).key();
    }
    assertTrue(items >= ackedAtKill.size(), items + " items on disk, " + ackedAtKill.size() + " acknowledged");
    assertEquals(items, join(store.scan("index", "item-", null, 1_000_000)).size(), "every index entry has its item");
    join(store.close());
  }
}
