package io.flowsdk.grpc.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.grpc.common.GrpcStatus;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's meters ({@code flowsdk_grpc_*}), tagged with the gateway's configured {@code host:port}
 * so several gateways in one node stay apart. Counters are thread-safe; every event loop of the gateway records here.
 * Tagged counters are resolved once per tag value and kept: a registry lookup builds and sorts tags on every call.
 */
public final class GatewayMetrics {

  private final MeterRegistry registry;
  private final String gateway;
  private final Counter started;
  private final Counter published;
  private final Counter delivered;
  private final Counter redelivered;
  private final Counter unauthenticated;
  /** {@code flowsdk_grpc_calls_total} by method, then by status ordinal; filled on first use. */
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> calls = new ConcurrentHashMap<>();
  /** {@code flowsdk_grpc_dropped_total} by policy name; filled on first use. */
  private final ConcurrentMap<String, Counter> dropped = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry, String gateway) {
    this.registry = registry;
    this.gateway = gateway;
    this.published = Counter.builder("flowsdk_grpc_published_total")
      .description("Messages gRPC clients published onto the flow bus").tag("gateway", gateway).register(registry);
    this.delivered = Counter.builder("flowsdk_grpc_delivered_total")
      .description("Messages written to gRPC subscribers").tag("gateway", gateway).register(registry);
    this.redelivered = Counter.builder("flowsdk_grpc_redelivered_total")
      .description("Unacknowledged SubscribeAcked deliveries sent again").tag("gateway", gateway).register(registry);
    this.unauthenticated = Counter.builder("flowsdk_grpc_unauthenticated_total")
      .description("Calls refused for a missing or unknown bearer token").tag("gateway", gateway).register(registry);
    this.started = Counter.builder("flowsdk_grpc_calls_started_total")
      .description("gRPC calls accepted past authentication (minus flowsdk_grpc_calls_total: calls in progress)")
      .tag("gateway", gateway).register(registry);
  }

  /** A call of {@code method} ended with {@code status}. */
  public void callEnded(String method, GrpcStatus status) {
    AtomicReferenceArray<Counter> byStatus = calls.computeIfAbsent(method,
      m -> new AtomicReferenceArray<>(GrpcStatus.values().length));
    Counter counter = byStatus.get(status.ordinal());
    if (counter == null) {
      counter = registry.counter("flowsdk_grpc_calls_total", "gateway", gateway, "method", method, "status", status.name());
      byStatus.set(status.ordinal(), counter);
    }
    counter.increment();
  }

  public void callStarted() {
    started.increment();
  }

  /** A caller was denied {@code method} on a topic or address ({@code PERMISSION_DENIED}). */
  public void denied(String method) {
    registry.counter("flowsdk_grpc_denied_total", "gateway", gateway, "method", method).increment();
  }

  public void unauthenticated() {
    unauthenticated.increment();
  }

  /** A subscribe stream's buffer was full and {@code policy} dropped a message. */
  public void dropped(String policy) {
    dropped.computeIfAbsent(policy, p -> registry.counter("flowsdk_grpc_dropped_total", "gateway", gateway, "policy", p))
      .increment();
  }

  /** A call was answered {@code RESOURCE_EXHAUSTED} at once because {@code limit} was reached. */
  public void refused(String limit) {
    registry.counter("flowsdk_grpc_refused_total", "gateway", gateway, "limit", limit).increment();
  }

  /** The gateway closed a client connection because of {@code reason} (a timeout option's name). */
  public void connectionClosed(String reason) {
    registry.counter("flowsdk_grpc_connections_closed_total", "gateway", gateway, "reason", reason).increment();
  }

  /** A subscribe stream was ended with {@code RESOURCE_EXHAUSTED} because its buffer was full. */
  public void overflowEnded() {
    registry.counter("flowsdk_grpc_overflow_ended_total", "gateway", gateway).increment();
  }

  public void published() {
    published.increment();
  }

  public void delivered() {
    delivered.increment();
  }

  public void redelivered() {
    redelivered.increment();
  }
}
