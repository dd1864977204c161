package io.flowsdk.bench;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.table.FlowTable;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.bench.FlowBusScenario.await;

/**
 * The clustered queue and table on three nodes beside plain Hazelcast doing the same work in the same
 * run: {@code bench.middlewareWorkers} threads spread over the nodes, each looping enqueue → receive →
 * ack (peer: {@code IQueue} offer → poll, with no ack, visibility or redelivery) or table put → get
 * (peer: {@code IMap} set → get) for {@code bench.middlewareItems} items in all, after a warm-up of at least
 * {@code bench.middlewareWarmupSeconds} (rounds of {@code bench.middlewareWarmup} items, the peer's and ours in
 * turns) unmeasured, and then until a turn passes with the JIT compiler nearly idle (at most
 * {@code bench.middlewareWarmupMaxSeconds}), so neither side is timed while its code is still being compiled: on
 * two cores, with both busy, the compiler threads were still a third of the CPU after 20,000 items, and a quarter
 * after 60 s. Then {@code bench.middlewareRounds} rounds of each are measured in turns, and each side's median one
 * (by time) is its row; each round prints its rate and how much the compiler worked during it. An operation's
 * latency is one whole loop.
 */
final class MiddlewareScenario implements Scenario {

  private static final int NODES = 3;
  private static final int ITEMS = Integer.getInteger("bench.middlewareItems", 10_000);
  private static final int WORKERS = Integer.getInteger("bench.middlewareWorkers", 12);
  private static final int WARMUP = Integer.getInteger("bench.middlewareWarmup", ITEMS);
  private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.middlewareWarmupSeconds", 20));
  private static final long WARMUP_MAX_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.middlewareWarmupMaxSeconds", 180));
  /** Measured rounds of {@code bench.middlewareItems} loops each; the row is the median one by time. */
  private static final int MEASURED_ROUNDS = Integer.getInteger("bench.middlewareRounds", 3);
  /** Compiler milliseconds per warm-up round below which the code counts as compiled. */
  private static final long QUIET_COMPILER_MILLIS = 20;

  @Override
  public String name() {
    return "middleware";
  }

  /** One loop of a worker on node {@code node}. */
  private interface Step {
    void run(int node, int item) throws Exception;
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    TestCluster cluster = new TestCluster();
    List<Vertx> nodes = new ArrayList<>();
    List<HazelcastInstance> hazelcast = new ArrayList<>();
    List<FlowQueue> queues = new ArrayList<>();
    List<FlowTable> tables = new ArrayList<>();
    List<IQueue<byte[]>> plainQueues = new ArrayList<>();
    List<IMap<String, byte[]>> plainMaps = new ArrayList<>();
    byte[] payload = new byte[Math.max(config.payloadBytes, 16)];
    try {
      for (int i = 0; i < NODES; i++) {
        Vertx vertx = await(cluster.startNode());
        nodes.add(vertx);
        HazelcastInstance hz = ClusterNodes.hazelcast(vertx);
        hazelcast.add(hz);
        queues.add(await(FlowQueue.clustered(vertx, "bench", new QueueOptions().setCapacity(1_000_000))));
        tables.add(await(FlowTable.clustered(vertx, "bench")));
        plainQueues.add(hz.getQueue("bench.plain"));
        plainMaps.add(hz.getMap("bench.plain"));
      }
      String queueGroup = "queue, " + NODES + " nodes, " + WORKERS + " workers";
      String tableGroup = "table, " + NODES + " nodes, " + WORKERS + " workers";
      List<BenchResult> rows = new ArrayList<>();
      rows.addAll(measure(queueGroup, "Hazelcast IQueue offer/poll", (node, i) -> {
        plainQueues.get(node).offer(payload);
        while (plainQueues.get(node).poll() == null) {
          Thread.onSpinWait();
        }
      }, "FlowSDK FlowQueue enqueue/receive/ack", (node, i) -> {
        FlowQueue q = queues.get(node);
        await(q.enqueue(Buffer.buffer(payload), 128, Duration.ZERO));
        Optional<QueueItem> item;
        while ((item = await(q.receive())).isEmpty()) {
          Thread.onSpinWait();
        }
        await(q.ack(item.get().receipt()));
      }));
      rows.addAll(measure(tableGroup, "Hazelcast IMap set/get", (node, i) -> {
        plainMaps.get(node).set("k" + i, payload);
        plainMaps.get(node).get("k" + i);
      }, "FlowSDK FlowTable put/get", (node, i) -> {
        await(tables.get(node).put("k" + i, Buffer.buffer(payload)));
        await(tables.get(node).get("k" + i));
      }));
      return rows;
    } finally {
      for (FlowTable t : tables) {
        await(t.close());
      }
      for (Vertx vertx : nodes) {
        await(vertx.close());
      }
    }
  }

  /**
   * The peer's row and ours: both warmed up, in turns, until a turn of each passes with the compiler nearly idle,
   * then measured in turns (peer, ours, peer, ...), so what changes on the machine meanwhile (a migration, a
   * collection, the other side's compilation) falls on both alike; each row is its median round by time.
   */
  private static List<BenchResult> measure(String group, String peer, Step peerStep, String subject, Step step) throws Exception {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    long warmupStart = System.nanoTime();
    long compiledBefore = compiler.getTotalCompilationTime();
    for (int round = 1; ; round++) {
      // numbered after the measured items: those meet no key of the warm-up
      int first = 2 * MEASURED_ROUNDS * ITEMS + (round - 1) * WARMUP;
      loop(WARMUP, first, peerStep, null);
      loop(WARMUP, first, step, null);
      long compiled = compiler.getTotalCompilationTime();
      long elapsed = System.nanoTime() - warmupStart;
      boolean quiet = compiled - compiledBefore < 2 * QUIET_COMPILER_MILLIS;
      compiledBefore = compiled;
      if (elapsed >= WARMUP_MAX_NANOS || elapsed >= WARMUP_NANOS && quiet) {
        break;
      }
    }
    double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
    List<BenchResult> peerRounds = new ArrayList<>();
    List<BenchResult> rounds = new ArrayList<>();
    for (int round = 0; round < MEASURED_ROUNDS; round++) {
      peerRounds.add(round(group, peer, true, peerStep, 2 * round * ITEMS, round, warmupSeconds));
      rounds.add(round(group, subject, false, step, (2 * round + 1) * ITEMS, round, warmupSeconds));
    }
    return List.of(median(peerRounds), median(rounds));
  }

  private static BenchResult round(String group, String subject, boolean baseline, Step step, int first, int round,
                                   double warmupSeconds) throws Exception {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    Latencies latencies = new Latencies(ITEMS);
    double cpu0 = CpuClock.thisProcess();
    long compiled0 = compiler.getTotalCompilationTime();
    long start = System.nanoTime();
    loop(ITEMS, first, step, latencies);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("  %s: round %d after %.0f s of warm-up: %.0f loops/s, the compiler working %d ms of its %.1f s%n", subject,
      round + 1, warmupSeconds, ITEMS / seconds, compiler.getTotalCompilationTime() - compiled0, seconds);
    return new BenchResult(group, subject, baseline, ITEMS, seconds, latencies.percentileMicros(50), latencies.percentileMicros(99),
      CpuClock.thisProcess() - cpu0);
  }

  private static BenchResult median(List<BenchResult> rounds) {
    List<BenchResult> byTime = new ArrayList<>(rounds);
    byTime.sort(Comparator.comparingDouble(r -> r.seconds));
    return byTime.get(byTime.size() / 2);
  }

  /** Items {@code first} to {@code first + items - 1} by {@link #WORKERS} threads; each loop's time into {@code latencies} unless it is null. */
  private static void loop(int items, int first, Step step, Latencies latencies) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        done.add(workers.submit(() -> {
          for (int i = worker; i < items; i += WORKERS) {
            long t = System.nanoTime();
            step.run(worker % NODES, first + i);
            if (latencies != null) {
              synchronized (latencies) {
                latencies.record(System.nanoTime() - t);
              }
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdown();
    }
  }
}
