package io.flowsdk.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives one sender-to-receiver path: keeps up to {@code window} messages in flight, stamps each
 * payload with {@link System#nanoTime()} and records the one-way latency where it arrives. The
 * path itself (flow bus, raw event bus, MQTT client, gRPC stream) is given as two functions.
 */
public abstract class WindowedPipe {

  /** Sends one payload; called on the sender context. The future completes when the path accepted it. */
  protected abstract Future<?> send(Buffer payload);

  /** Run for {@code messages}; {@link #receivedFromPath} must be called for every arrival. */
  public Future<BenchResult> run(Context senderContext, String group, String subject, boolean baseline,
                                 int messages, int window, int payloadBytes) {
    Promise<BenchResult> done = Promise.promise();
    senderContext.runOnContext(v -> new Run(senderContext, group, subject, baseline, messages, window, payloadBytes, 0, done).pump());
    return done.future();
  }

  /**
   * Run for {@code messages} sent at a fixed {@code perSecond} (checked every millisecond), however many are
   * in flight: the latency of a path that is not kept full, without queueing behind a window.
   */
  public Future<BenchResult> runPaced(Context senderContext, String group, String subject, boolean baseline,
                                      int messages, int perSecond, int payloadBytes) {
    Promise<BenchResult> done = Promise.promise();
    senderContext.runOnContext(v -> {
      Run run = new Run(senderContext, group, subject, baseline, messages, messages, payloadBytes, 1_000_000_000L / perSecond, done);
      long timer = senderContext.owner().setPeriodic(1, id -> run.pump());
      done.future().onComplete(ar -> senderContext.owner().cancelTimer(timer));
    });
    return done.future();
  }

  private Run current;

  /** Call on arrival of a payload sent by this pipe (on any thread). */
  public final void receivedFromPath(Buffer payload) {
    current.arrived(System.nanoTime() - payload.getLong(0));
  }

  private final class Run {
    final Context senderContext;
    final String group;
    final String subject;
    final boolean baseline;
    final int messages;
    final int window;
    final Buffer template;
    /** Nanoseconds between two sends, or 0: as many as the window allows. */
    final long paceNanos;
    final Promise<BenchResult> done;
    final Latencies latencies;
    final AtomicInteger arrivals = new AtomicInteger();
    int sent;
    long start;
    double cpuStart;

    Run(Context senderContext, String group, String subject, boolean baseline, int messages, int window, int payloadBytes,
        long paceNanos, Promise<BenchResult> done) {
      this.senderContext = senderContext;
      this.group = group;
      this.subject = subject;
      this.baseline = baseline;
      this.messages = messages;
      this.window = window;
      this.template = Buffer.buffer(new byte[Math.max(8, payloadBytes)]);
      this.paceNanos = paceNanos;
      this.done = done;
      this.latencies = new Latencies(messages);
      current = this;
      start = System.nanoTime();
      cpuStart = CpuClock.thisProcess();
    }

    void pump() {
      int inFlight = sent - arrivals.get();
      long due = paceNanos == 0 ? messages : Math.min(messages, (System.nanoTime() - start) / paceNanos + 1);
      while (sent < due && inFlight < window) {
        Buffer payload = template.copy();
        payload.setLong(0, System.nanoTime());
        sent++;
        inFlight++;
        send(payload).onFailure(e -> done.tryFail(e));
      }
    }

    void arrived(long latencyNanos) {
      latencies.record(latencyNanos);
      int n = arrivals.incrementAndGet();
      if (n == messages) {
        double seconds = (System.nanoTime() - start) / 1e9;
        done.tryComplete(new BenchResult(group, subject, baseline, messages, seconds,
          latencies.percentileMicros(50), latencies.percentileMicros(99), CpuClock.thisProcess() - cpuStart));
      } else if (paceNanos == 0 && n % Math.max(1, window / 4) == 0) {
        senderContext.runOnContext(v -> pump());
      }
    }
  }
}
