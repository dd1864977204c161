package io.flowsdk.queue.impl;

import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's consumers of one queue, and the gauge {@code flowsdk.queue.consumers} that shows them. Kept in the
 * Vert.x local map by queue name, so a queue closed and opened again keeps one count and one gauge.
 */
final class ConsumerCount implements Shareable {

  private final AtomicInteger count = new AtomicInteger();

  private ConsumerCount() {
  }

  static ConsumerCount of(Vertx vertx, String queue) {
    LocalMap<String, ConsumerCount> counts = vertx.sharedData().getLocalMap("flowsdk.queue.consumers");
    ConsumerCount mine = new ConsumerCount();
    ConsumerCount existing = counts.putIfAbsent(queue, mine);
    if (existing != null) {
      return existing;
    }
    Gauge.builder("flowsdk.queue.consumers", mine.count, AtomicInteger::get)
      .description("Consumers of the queue on this node: $queue subscriptions and gRPC Consume calls")
      .tag("queue", queue).register(FlowMetrics.registry(vertx));
    return mine;
  }

  /** Counts one more consumer until the returned {@link Runnable} runs (once; again does nothing). */
  Runnable add() {
    count.incrementAndGet();
    AtomicBoolean left = new AtomicBoolean();
    return () -> {
      if (left.compareAndSet(false, true)) {
        count.decrementAndGet();
      }
    };
  }

  int get() {
    return count.get();
  }
}
