package io.flowsdk.testing;

import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.FlowTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/**
 * A standalone node's queue and table in a process of its own, for tests that kill it with
 * {@code kill -9}: on the store file of its first argument, loops enqueueing {@code item-<i>} to the
 * queue {@code jobs} (printing {@code Q <i>} once acknowledged), putting {@code key/<i>} = i to the table
 * {@code config} ({@code T <i>}), and every third round receiving and acknowledging one item
 * ({@code A <payload>}); a received item's visibility timeout is one second.
 */
public final class MiddlewareWriterProcess {

  public static final long VISIBILITY_MILLIS = 1000;

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FlowStore store = Futures.join(FlowStore.open(vertx, new StoreOptions().setPath(args[0])));
    FlowQueue queue = Futures.join(FlowQueue.embedded(vertx, "jobs", store, new QueueOptions().setVisibilityTimeoutMillis(VISIBILITY_MILLIS)));
    FlowTable table = Futures.join(FlowTable.embedded(vertx, "config", store));
    vertx.runOnContext(v -> round(queue, table, 0));
  }

  private static void round(FlowQueue queue, FlowTable table, int i) {
    queue.enqueue(Buffer.buffer("item-" + i), i % 256, Duration.ZERO)
      .compose(id -> {
        say("Q " + i);
        return table.put("key/" + i, Buffer.buffer(Integer.toString(i)));
      })
      .compose(entry -> {
        say("T " + i);
        return i % 3 != 0 ? Future.succeededFuture() : queue.receive().compose(item -> item.isEmpty() ? Future.succeededFuture()
          : queue.ack(item.get().receipt()).onSuccess(v -> say("A " + item.get().payload())));
      })
      .onComplete(ar -> round(queue, table, i + 1));
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
