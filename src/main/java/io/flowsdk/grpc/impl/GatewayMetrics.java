package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.grpc.common.GrpcStatus;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The gateway's meters ({@code flowsdk_grpc_*}), tagged with the gateway's configured {@code host:port}
 * so several gateways in one node stay apart. Counters are thread-safe; every event loop of the gateway records here.
 * Every series whose tags are known when the gateway starts (each method, the statuses the gateway ends calls with,
 * the overflow policies, the limits) is registered then, at 0.
 */
public final class GatewayMetrics {

  /** What a call's status can be without a peer's say: OK, and what {@link GrpcStatusMapping} makes of each error. */
  private static final List<GrpcStatus> STATUSES = List.copyOf(Stream.concat(Stream.of(GrpcStatus.OK),
    Stream.of(FlowError.values()).map(GrpcStatusMapping::status)).collect(Collectors.toCollection(LinkedHashSet::new)));

  private final Counter started;
  private final Counter published;
  private final Counter delivered;
  private final Counter redelivered;
  private final Counter unauthenticated;
  private final Counter overflowEnded;
  /** {@code flowsdk_grpc_calls_total} by method, then by status. */
  private final Map<String, CounterFamily<GrpcStatus>> calls;
  private final Map<String, AtomicInteger> inFlight;
  private final CounterFamily<String> denied;
  private final CounterFamily<String> dropped;
  private final CounterFamily<String> refused;
  private final CounterFamily<String> connectionsClosed;

  /** The meters of the gateway {@code gateway} (its {@code host:port}) serving {@code methods}. */
  public GatewayMetrics(MeterRegistry registry, String gateway, Set<String> methods) {
    Tags tags = Tags.of("gateway", gateway);
    this.published = Counter.builder("flowsdk_grpc_published_total")
      .description("Messages gRPC clients published onto the flow bus").tags(tags).register(registry);
    this.delivered = Counter.builder("flowsdk_grpc_delivered_total")
      .description("Messages written to gRPC subscribers").tags(tags).register(registry);
    this.redelivered = Counter.builder("flowsdk_grpc_redelivered_total")
      .description("Unacknowledged SubscribeAcked deliveries sent again").tags(tags).register(registry);
    this.unauthenticated = Counter.builder("flowsdk_grpc_unauthenticated_total")
      .description("Calls refused for a missing or unknown bearer token").tags(tags).register(registry);
    this.started = Counter.builder("flowsdk_grpc_calls_started_total")
      .description("gRPC calls accepted past authentication").tags(tags).register(registry);
    this.overflowEnded = Counter.builder("flowsdk_grpc_overflow_ended_total")
      .description("Subscribe streams ended because their buffer was full").tags(tags).register(registry);
    this.calls = methods.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), method ->
      CounterFamily.register(registry, "flowsdk_grpc_calls_total", "gRPC calls ended, by method and status",
        tags.and("method", method), "status", GrpcStatus::name, STATUSES)));
    this.inFlight = methods.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), method -> {
      AtomicInteger count = new AtomicInteger();
      Gauge.builder("flowsdk_grpc_calls_in_flight", count, AtomicInteger::get)
        .description("gRPC calls accepted and not ended yet, by method").tags(tags).tag("method", method).register(registry);
      return count;
    }));
    List<String> methodList = List.copyOf(methods);
    this.denied = CounterFamily.register(registry, "flowsdk_grpc_denied_total", "Operations denied by token permissions",
      tags, "method", Function.identity(), methodList);
    this.dropped = CounterFamily.register(registry, "flowsdk_grpc_dropped_total",
      "Deliveries dropped at a full subscribe-stream buffer, by overflow policy", tags, "policy", Function.identity(),
      Stream.of(OverflowPolicy.values()).map(OverflowPolicy::name).toList());
    this.refused = CounterFamily.register(registry, "flowsdk_grpc_refused_total",
      "Calls answered RESOURCE_EXHAUSTED at once, by limit", tags, "limit", Function.identity(),
      List.of(ConnectionLimits.MAX_CONCURRENT_STREAMS));
    this.connectionsClosed = CounterFamily.register(registry, "flowsdk_grpc_connections_closed_total",
      "Client connections the gateway closed, by reason", tags, "reason", Function.identity(),
      List.of(ConnectionLimits.IDLE_TIMEOUT));
  }

  /** A call of {@code method} was accepted past authentication. */
  public void callStarted(String method) {
    started.increment();
    inFlight.get(method).incrementAndGet();
  }

  /** A call of {@code method} that {@link #callStarted} counted ended with {@code status}. */
  public void callEnded(String method, GrpcStatus status) {
    inFlight.get(method).decrementAndGet();
    calls.get(method).increment(status);
  }

  /** A call of {@code method} was refused before it started, for a missing or unknown token. */
  public void unauthenticated(String method, GrpcStatus status) {
    unauthenticated();
    calls.get(method).increment(status);
  }

  /** A caller was denied {@code method} on a topic or address ({@code PERMISSION_DENIED}). */
  public void denied(String method) {
    denied.increment(method);
  }

  /** A call of a service other than {@code flowsdk.v1.Flow} was refused for a missing or unknown token. */
  public void unauthenticated() {
    unauthenticated.increment();
  }

  /** A subscribe stream's buffer was full and {@code policy} dropped a message. */
  public void dropped(String policy) {
    dropped.increment(policy);
  }

  /** A call was answered {@code RESOURCE_EXHAUSTED} at once because {@code limit} was reached. */
  public void refused(String limit) {
    refused.increment(limit);
  }

  /** The gateway closed a client connection because of {@code reason} (a timeout option's name). */
  public void connectionClosed(String reason) {
    connectionsClosed.increment(reason);
  }

  /** A subscribe stream was ended with {@code RESOURCE_EXHAUSTED} because its buffer was full. */
  public void overflowEnded() {
    overflowEnded.increment();
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
