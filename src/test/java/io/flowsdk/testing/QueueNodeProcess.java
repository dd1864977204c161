package io.flowsdk.testing;

import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A clustered queue node in a process of its own, for tests that kill it with {@code kill -9}.
 * Arguments: cluster name, queue name, a tag for its items, how many to enqueue, how many
 * consumers, visibility timeout (ms). Prints {@code READY} once it has joined; on {@code GO} (stdin)
 * enqueues its items ({@code <tag>-<i>}), printing {@code E <item>} for each acknowledged enqueue,
 * while its consumers print {@code D <item> <attempt>} for each delivery before they acknowledge it
 * ({@code F <item>} when the ack fails); on {@code SIZE} prints {@code SIZE <items held>}.
 */
public final class QueueNodeProcess {

  private static final int ENQUEUE_WINDOW = 256;

  public static void main(String[] args) throws Exception {
    Vertx vertx = Futures.join(new TestCluster(args[0]).startNode());
    FlowQueue queue = Futures.join(FlowQueue.clustered(vertx, args[1], new QueueOptions()
      .setCapacity(1_000_000).setMaxAttempts(100).setVisibilityTimeoutMillis(Long.parseLong(args[5]))));
    String tag = args[2];
    int items = Integer.parseInt(args[3]);
    int consumers = Integer.parseInt(args[4]);
    say("READY");
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      if (line.equals("GO")) {
        vertx.runOnContext(v -> enqueue(queue, tag, 0, items));
        for (int i = 0; i < consumers; i++) {
          vertx.runOnContext(v -> consume(vertx, queue));
        }
      } else if (line.equals("SIZE")) {
        queue.size().onSuccess(n -> say("SIZE " + n));
      }
    }
  }

  /** Enqueues items {@code from..items-1}, {@link #ENQUEUE_WINDOW} at a time. */
  private static void enqueue(FlowQueue queue, String tag, int from, int items) {
    int to = Math.min(items, from + ENQUEUE_WINDOW);
    Future<?>[] window = new Future<?>[to - from];
    for (int i = from; i < to; i++) {
      String item = tag + "-" + i;
      window[i - from] = queue.enqueue(Buffer.buffer(item), 128, Duration.ZERO).onSuccess(id -> say("E " + item));
    }
    Future.join(List.of(window)).onComplete(ar -> {
      if (to < items) {
        enqueue(queue, tag, to, items);
      }
    });
  }

  private static void consume(Vertx vertx, FlowQueue queue) {
    queue.receive().onComplete(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        vertx.setTimer(20, t -> consume(vertx, queue));
        return;
      }
      var item = ar.result().get();
      String payload = item.payload().toString();
      say("D " + payload + " " + item.attempt());
      queue.ack(item.receipt()).onComplete(acked -> {
        if (acked.failed()) {
          say("F " + payload);
        }
        consume(vertx, queue);
      });
    });
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
