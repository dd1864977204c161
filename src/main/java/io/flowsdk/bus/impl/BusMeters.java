package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The flow bus's meters: published, delivered, retried, dropped by reason, failed publishes, request latency. */
final class BusMeters {

  /** Why a message did not reach a subscriber. */
  enum DropReason {
    /** A subscription buffer was full. */
    OVERFLOW,
    /** The message expired before delivery. */
    EXPIRED,
    /** The target node or subscriber disappeared before delivery. */
    NO_ROUTE,
    /** A QoS 2 retry that was already delivered. */
    DUPLICATE;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final Counter[] published = new Counter[3];
  private final Counter delivered;
  private final Counter retried;
  private final CounterFamily<DropReason> dropped;
  private final CounterFamily<FlowError> publishFailed;
  private final Timer requestLatency;

  BusMeters(MeterRegistry registry) {
    for (QoS q : QoS.values()) {
      published[q.value()] = Counter.builder("flowsdk.bus.published").description("Messages published on the flow bus")
        .tag("qos", String.valueOf(q.value())).register(registry);
    }
    delivered = Counter.builder("flowsdk.bus.delivered").description("Messages handed to subscribers on this node").register(registry);
    retried = Counter.builder("flowsdk.bus.retried").description("QoS 1/2 deliveries sent to a node again after being lost in transit")
      .register(registry);
    dropped = CounterFamily.register(registry, "flowsdk.bus.dropped", "Messages not delivered to a subscriber, by reason",
      Tags.empty(), "reason", DropReason::tag, List.of(DropReason.values()));
    publishFailed = CounterFamily.register(registry, "flowsdk.bus.publish.failed", "QoS 1/2 publishes that failed, by error",
      Tags.empty(), "error", FlowError::name, List.of(FlowError.values()));
    requestLatency = Timer.builder("flowsdk.bus.request").description("Flow bus request round trips")
      .publishPercentiles(0.5, 0.99).register(registry);
  }

  void published(QoS qos) {
    published[qos.value()].increment();
  }

  void delivered() {
    delivered.increment();
  }

  void retried() {
    retried.increment();
  }

  void dropped(DropReason reason) {
    dropped.increment(reason);
  }

  void publishFailed(FlowError error) {
    publishFailed.increment(error);
  }

  void requestCompleted(long startNanos) {
    requestLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
