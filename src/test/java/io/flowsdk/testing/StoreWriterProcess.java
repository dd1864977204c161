package io.flowsdk.testing;

import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreBatch;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.storage.SyncPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Writes to an embedded store in a process of its own, for tests that kill it with {@code kill -9}:
 * opens the store file of its first argument with the sync policy of its second, then writes, 16 at a
 * time, batches putting {@code item-<n>} and {@code index-<n>} together, printing {@code ACK <n>}
 * when the batch of item n is acknowledged, until it is killed.
 */
public final class StoreWriterProcess {

  private static final int IN_FLIGHT = 16;

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FlowStore store = Futures.join(FlowStore.open(vertx,
      new StoreOptions().setPath(args[0]).setSyncPolicy(SyncPolicy.valueOf(args[1])).setGroupCommitMillis(5)));
    System.out.println("READY");
    System.out.flush();
    vertx.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        write(store, i);
      }
    });
  }

  private static void write(FlowStore store, int n) {
    store.write(new StoreBatch()
        .put("items", key(n), Buffer.buffer("value-" + n))
        .put("index", key(n), Buffer.buffer("v")))
      .onSuccess(v -> {
        System.out.println("ACK " + n);
        System.out.flush();
        write(store, n + IN_FLIGHT);
      });
  }

  /** Zero-padded so that keys sort as numbers. */
  public static String key(int n) {
    return String.format("item-%09d", n);
  }
}
