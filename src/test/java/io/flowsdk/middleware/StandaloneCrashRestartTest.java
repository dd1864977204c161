package io.flowsdk.middleware;

import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.FlowTable;
import io.flowsdk.testing.MiddlewareWriterProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone node's queue and table in a separate process, killed with {@code kill -9} while it
 * writes, then restarted on the same store file: every acknowledged enqueue not yet consumed, and
 * every acknowledged table put, is back.
 */
class StandaloneCrashRestartTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenANodeKilledWithKill9_whenRestarted_thenEveryAcknowledgedQueueItemAndTableEntryIsBack() throws Exception {
    Path file = dir.resolve("node.mv");
    Set<String> enqueued = ConcurrentHashMap.newKeySet();
    Set<String> consumed = ConcurrentHashMap.newKeySet();
    Set<Integer> put = ConcurrentHashMap.newKeySet();
    CountDownLatch enough = new CountDownLatch(300);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process node = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
      MiddlewareWriterProcess.class.getName(), file.toString()).redirectErrorStream(true).start();
    try {
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("Q ")) {
              enqueued.add("item-" + line.substring(2));
            } else if (line.startsWith("T ")) {
              put.add(Integer.parseInt(line.substring(2)));
              enough.countDown();
            } else if (line.startsWith("A ")) {
              consumed.add(line.substring(2));
            }
          }
        } catch (Exception ignored) {
          // the process was killed
        }
      });
      reader.start();
      assertTrue(enough.await(60, TimeUnit.SECONDS), "the node acknowledged only " + put.size() + " puts");
    } finally {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Set<String> expected = new HashSet<>(enqueued);
    expected.removeAll(consumed);
    Set<Integer> putAtKill = Set.copyOf(put);

    FlowStore store = join(FlowStore.open(vertx, new StoreOptions().setPath(file.toString())));
    FlowTable table = join(FlowTable.embedded(vertx, "config", store));
    for (int i : putAtKill) {
      assertEquals(Integer.toString(i), join(table.get("key/" + i)).orElseThrow(() -> new AssertionError("key/" + i + " was lost"))
        .value().toString());
    }
    FlowQueue queue = join(FlowQueue.embedded(vertx, "jobs", store, new QueueOptions()));
    Set<String> back = new HashSet<>();
    // an item in flight at the kill comes back when its visibility timeout has run out
    await().atMost(Duration.ofSeconds(10).plusMillis(MiddlewareWriterProcess.VISIBILITY_MILLIS)).until(() -> {
      for (Optional<QueueItem> item = join(queue.receive()); item.isPresent(); item = join(queue.receive())) {
        back.add(item.get().payload().toString());
        join(queue.ack(item.get().receipt()));
      }
      return back.containsAll(expected);
    });
    assertTrue(expected.size() >= 200, "items to check: " + expected.size());
    join(table.close());
    join(store.close());
  }
}
