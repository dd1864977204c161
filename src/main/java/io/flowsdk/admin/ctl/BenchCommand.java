package io.flowsdk.admin.ctl;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ctl bench}: publishers × subscribers at a paced rate and QoS against any MQTT broker. Every
 * subscriber takes every message ({@code <topic>/#}); each message carries its send time, so the
 * latency is publish to delivery on this machine's clock. A progress bar goes to stderr, the result
 * table to stdout.
 */
@Command(name = "bench", description = "Measure a broker: publishers x subscribers x rate x QoS; prints msg/s, loss, p50/p99.")
final class BenchCommand implements Callable<Integer> {

  private static final int TICK_MILLIS = 10;
  private static final int PROGRESS_MILLIS = 500;
  private static final int BAR_WIDTH = 20;
  /** A publisher holds back while this many of its publishes are not finished (a slow broker slows it). */
  private static final int MAX_UNFINISHED_PER_PUBLISHER = 1000;
  private static final int STAMP_BYTES = Long.BYTES;

  @Mixin
  MqttCommands.Broker broker;
  @Option(names = "--publishers", defaultValue = "1", description = "publishing clients (default ${DEFAULT-VALUE})")
  int publishers;
  @Option(names = "--subscribers", defaultValue = "1", description = "subscribing clients, each takes every message (default ${DEFAULT-VALUE})")
  int subscribers;
  @Option(names = "--rate", defaultValue = "100", description = "messages per second of each publisher (default ${DEFAULT-VALUE})")
  int rate;
  @Option(names = "--duration", defaultValue = "10", description = "seconds of publishing (default ${DEFAULT-VALUE})")
  int durationSeconds;
  @Option(names = "--size", defaultValue = "64", description = "payload bytes, at least 8 (default ${DEFAULT-VALUE})")
  int size;
  @Option(names = "--drain", defaultValue = "5", description = "seconds to wait for the last messages (default ${DEFAULT-VALUE})")
  int drainSeconds;
  @Option(names = {"-t", "--topic"}, description = "topic prefix (default flowsdk/bench/<random>)")
  String topic;
  @Spec
  CommandSpec spec;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  /** Microseconds from publish to delivery, recorded on each subscriber's event loop. */
  private final Histogram latencies = new ConcurrentHistogram(3);

  @Override
  public Integer call() throws Exception {
    check();
    QoS qos = broker.qos();
    String prefix = topic != null ? topic : "flowsdk/bench/" + UUID.randomUUID().toString().substring(0, 8);
    Vertx vertx = Vertx.vertx();
    List<MqttClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < subscribers; i++) {
        MqttClient client = connect(vertx, "sub-" + i, clients);
        client.messageHandler(m -> {
          if (m.payload().length() < STAMP_BYTES) {
            return Future.succeededFuture(); // not one of ours: someone else publishes under the prefix
          }
          latencies.recordValue(Math.max(0, (System.nanoTime() - m.payload().getLong(0)) / 1000));
          received.incrementAndGet();
          return Future.succeededFuture();
        });
        MqttCommands.await(client.subscribe(SubscribeRequest.builder().add(prefix + "/#", qos).build()), 10,
          "subscribe to " + prefix + "/#", CtlException.REFUSED);
      }
      List<MqttClient> senders = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        senders.add(connect(vertx, "pub-" + i, clients));
      }
      long started = System.nanoTime();
      publish(vertx, senders, prefix, qos, started);
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      drain(started);
      report(publishSeconds, (System.nanoTime() - started) / 1e9);
      return 0;
    } finally {
      clients.forEach(MqttClient::disconnect);
      vertx.close();
    }
  }

  private void check() {
    if (publishers < 1 || subscribers < 0 || rate < 1 || durationSeconds < 1 || size < STAMP_BYTES || drainSeconds < 0) {
      throw new CtlException(2, "--publishers, --rate and --duration must be at least 1, --subscribers and --drain"
        + " at least 0, --size at least " + STAMP_BYTES);
    }
  }

  private MqttClient connect(Vertx vertx, String role, List<MqttClient> clients) {
    String id = "flowsdk-bench-" + role + "-" + ProcessHandle.current().pid();
    MqttClient client = MqttClient.create(vertx, broker.options().setClientId(id));
    MqttCommands.await(client.connect(), 10, "connect " + id + " to " + broker.host + ":" + broker.port,
      CtlException.UNREACHABLE);
    clients.add(client);
    return client;
  }

  /**
   * Each publisher sends its {@code rate × duration} messages, each at its due time, printing progress until all are
   * finished (acknowledged at QoS 1 and 2, written at QoS 0) or the duration and the drain time are over.
   */
  private void publish(Vertx vertx, List<MqttClient> senders, String prefix, QoS qos, long started) throws InterruptedException {
    long perPublisher = (long) rate * durationSeconds;
    CountDownLatch finished = new CountDownLatch(senders.size());
    List<Long> timers = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      MqttClient client = senders.get(i);
      String to = prefix + "/" + i;
      AtomicLong mine = new AtomicLong();
      AtomicInteger unfinished = new AtomicInteger();
      timers.add(vertx.setPeriodic(TICK_MILLIS, id -> {
        long due = Math.min(perPublisher, (long) (rate * ((System.nanoTime() - started) / 1e9)));
        while (mine.get() < due && unfinished.get() < MAX_UNFINISHED_PER_PUBLISHER) {
          unfinished.incrementAndGet(); // before mine: a completion that sees mine at its end also sees this one unfinished
          mine.incrementAndGet();
          Buffer payload = Buffer.buffer(size).appendLong(System.nanoTime()).appendBytes(new byte[size - STAMP_BYTES]);
          client.publish(PublishRequest.builder(to).payload(payload).qos(qos).build()).onComplete(ar -> {
            (ar.succeeded() ? sent : failed).incrementAndGet();
            if (unfinished.decrementAndGet() == 0 && mine.get() == perPublisher) {
              finished.countDown();
            }
          });
        }
        if (mine.get() == perPublisher) {
          vertx.cancelTimer(id);
        }
      }));
    }
    PrintWriter err = spec.commandLine().getErr();
    long deadline = started + TimeUnit.SECONDS.toNanos(durationSeconds + drainSeconds);
    while (!finished.await(PROGRESS_MILLIS, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
      progress(err, started);
    }
    timers.forEach(vertx::cancelTimer);
  }

  /** Polls, up to the drain time, until every subscriber has every message that was sent. */
  private void drain(long started) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
    while (received.get() < sent.get() * subscribers && System.nanoTime() < end) {
      TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
    }
    PrintWriter err = spec.commandLine().getErr();
    progress(err, started);
    err.println();
    err.flush();
  }

  private void progress(PrintWriter err, long started) {
    double seconds = (System.nanoTime() - started) / 1e9;
    int done = (int) Math.min(BAR_WIDTH, BAR_WIDTH * seconds / durationSeconds);
    err.printf(Locale.ROOT, "\r[%s%s] %5.1f s  sent %d  received %d  failed %d", "#".repeat(done),
      ".".repeat(BAR_WIDTH - done), seconds, sent.get(), received.get(), failed.get());
    err.flush();
  }

  private void report(double publishSeconds, double seconds) {
    long expected = sent.get() * subscribers;
    double loss = expected == 0 ? 0 : 100.0 * Math.max(0, expected - received.get()) / expected;
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%-4s %-4s %-6s %-3s %-9s %-9s %-7s %-9s %-9s %-7s %-8s %-8s%n", "pubs", "subs", "rate", "qos",
      "sent", "received", "failed", "sent/s", "recv/s", "loss %", "p50 ms", "p99 ms");
    out.printf(Locale.ROOT, "%-4d %-4d %-6d %-3d %-9d %-9d %-7d %-9.1f %-9.1f %-7.2f %-8.3f %-8.3f%n", publishers,
      subscribers, rate, broker.qos, sent.get(), received.get(), failed.get(), sent.get() / publishSeconds,
      received.get() / seconds, loss, latencies.getValueAtPercentile(50) / 1000.0,
      latencies.getValueAtPercentile(99) / 1000.0);
    out.flush();
  }
}
