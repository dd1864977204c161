package io.flowsdk.queue;

import io.flowsdk.testing.QueueNodeProcess;
import io.flowsdk.testing.TestCluster;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clustered queue on three nodes in processes of their own, consumers on each, one node killed
 * with {@code kill -9} half-way through: every acknowledged enqueue is delivered at least once and the
 * queue ends empty; items are delivered again only when the killed node had them in flight (or a
 * survivor's visibility timeout ran out while the dead member's partitions were being taken over).
 * 100,000 items, as issue 11 asks (about 50 s on the two-core machine); {@code -Dflowsdk.test.queueCrashItems}
 * runs another count.
 */
class ClusteredQueueCrashTest {

  private static final int NODES = 3;
  private static final int ITEMS = Integer.getInteger("flowsdk.test.queueCrashItems", 100_000);
  private static final int CONSUMERS = 8;
  private static final int VISIBILITY_MILLIS = 5000;
  /** Deliveries beyond the first: what the victim's consumers held, claims under way, and timeouts during the takeover. */
  private static final int MAX_REDELIVERIES = 4 * CONSUMERS * NODES;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** What the nodes printed. */
  private static final class Seen {
    final Set<String> enqueued = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    final AtomicLong deliveryLines = new AtomicLong();
    final AtomicInteger ackFailures = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final Map<Integer, Long> size = new ConcurrentHashMap<>();
  }

  @Test
  void givenThreeNodesConsuming_whenOneIsKilledMidWay_thenEveryItemIsDeliveredAndRedeliveriesAreBounded() throws Exception {
    String cluster = new TestCluster().name();
    Seen seen = new Seen();
    for (int n = 0; n < NODES; n++) {
      int share = ITEMS / NODES + (n < ITEMS % NODES ? 1 : 0);
      processes.add(start(cluster, n, share, seen));
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> seen.ready.get() == NODES);
    long start = System.nanoTime();
    for (Process p : processes) {
      command(p, "GO");
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> seen.deliveries.size() >= ITEMS / 2);
    Process victim = processes.get(NODES - 1);
    victim.destroyForcibly();
    int deliveredAtKill = seen.deliveries.size();

    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> seen.deliveries.keySet().containsAll(seen.enqueued));
    } catch (ConditionTimeoutException e) {
      List<String> missing = seen.enqueued.stream().filter(i -> !seen.deliveries.containsKey(i)).sorted().toList();
      for (int n = 0; n < NODES - 1; n++) {
        command(processes.get(n), "SIZE");
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size.size() == NODES - 1);
      throw new AssertionError(missing.size() + " acknowledged items never delivered (" + deliveredAtKill + " delivered at the kill, "
        + seen.deliveries.size() + " since; the survivors hold " + seen.size + "), the first: "
        + missing.subList(0, Math.min(10, missing.size())), e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    for (int n = 0; n < NODES - 1; n++) {
      Process survivor = processes.get(n);
      int node = n;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        command(survivor, "SIZE");
        return Long.valueOf(0).equals(seen.size.get(node));
      });
    }
    long redeliveries = seen.deliveryLines.get() - seen.deliveries.size();
    System.out.printf("queue crash: %d items enqueued, %d delivered (%d when node 3 was killed), %d redeliveries, %d failed acks, %d ms%n",
      seen.enqueued.size(), seen.deliveries.size(), deliveredAtKill, redeliveries, seen.ackFailures.get(), millis);
    long survivorsItems = seen.enqueued.stream().filter(i -> !i.startsWith("n" + (NODES - 1) + "-")).count();
    assertEquals(ITEMS - ITEMS / NODES, survivorsItems, "the survivors' enqueues all acknowledged");
    assertTrue(seen.deliveries.keySet().containsAll(seen.enqueued));
    assertTrue(redeliveries <= MAX_REDELIVERIES, redeliveries + " redeliveries, more than " + MAX_REDELIVERIES);
  }

  private static void command(Process p, String line) throws Exception {
    OutputStream in = p.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private static Process start(String cluster, int node, int items, Seen seen) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx384m", "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false",
      "-cp", System.getProperty("java.class.path"), QueueNodeProcess.class.getName(), cluster, "crash", "n" + node,
      Integer.toString(items), Integer.toString(CONSUMERS), Integer.toString(VISIBILITY_MILLIS))
      .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("E ")) {
            seen.enqueued.add(line.substring(2));
          } else if (line.startsWith("D ")) {
            String item = line.substring(2, line.indexOf(' ', 2));
            seen.deliveries.merge(item, 1, Integer::sum);
            seen.deliveryLines.incrementAndGet();
          } else if (line.startsWith("F ")) {
            seen.ackFailures.incrementAndGet();
          } else if (line.equals("READY")) {
            seen.ready.incrementAndGet();
          } else if (line.startsWith("SIZE ")) {
            seen.size.put(node, Long.parseLong(line.substring(5)));
          }
        }
      } catch (Exception e) {
        // the process was killed: its output ends
      }
    }, "queue-node-" + node);
    reader.setDaemon(true);
    reader.start();
    return p;
  }
}
