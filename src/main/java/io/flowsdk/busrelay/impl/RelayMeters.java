package io.flowsdk.busrelay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.grpc.common.GrpcStatus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gRPC bus relay's meters, tagged {@code relay=<name>}: {@code flowsdk_bus_relay_messages_total}
 * (forwarded and taken by the other side, by direction and QoS), {@code _failed_total} (refused by the
 * other side, by direction and error), {@code _dropped_total} (not forwarded, by reason),
 * {@code _buffered_total} (messages that had to wait for the remote), the gauges {@code _buffered} /
 * {@code _buffered_bytes} (waiting now), {@code _connected} and {@code _subscribed}, {@code _connect_refusals_total}
 * (streams the remote refused, by gRPC status) and {@code _connect_failures_total} (streams that could
 * not be opened or broke, by reason).
 */
final class RelayMeters {

  /** Which way a message went. */
  enum Direction {
    /** Local bus to the remote cluster. */
    OUTBOUND,
    /** Remote cluster to the local bus. */
    INBOUND;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** Why a message was not forwarded. */
  enum DropReason {
    /** The store-and-forward buffer was full; the overflow policy chose this message. */
    OVERFLOW,
    /** The message had already been on the cluster it would go to. */
    LOOP,
    /** The topic rewrite gave no valid topic name. */
    UNMAPPABLE;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger subscribed = new AtomicInteger();
  private final Counter buffered;
  private final List<Meter> gauges = new ArrayList<>();
  private final Map<Direction, CounterFamily<QoS>> forwarded = new EnumMap<>(Direction.class);
  private final Map<Direction, CounterFamily<FlowError>> failed = new EnumMap<>(Direction.class);
  private final CounterFamily<DropReason> dropped;
  private final CounterFamily<String> connectRefusals;
  private final CounterFamily<String> connectFailures;

  RelayMeters(MeterRegistry registry, String relay) {
    this.registry = registry;
    this.tags = Tags.of("relay", relay);
    gauges.add(Gauge.builder("flowsdk.bus.relay.connected", connected, AtomicInteger::get)
      .description("1 while the relay's outbound stream to the remote gateway is up").tags(tags).register(registry));
    gauges.add(Gauge.builder("flowsdk.bus.relay.subscribed", subscribed, AtomicInteger::get)
      .description("1 while the relay's inbound subscription at the remote gateway is active").tags(tags).register(registry));
    buffered = Counter.builder("flowsdk.bus.relay.buffered").description("Outbound messages that had to wait for the remote")
      .tags(tags).register(registry);
    for (Direction d : Direction.values()) {
      Tags direction = tags.and("direction", d.tag());
      forwarded.put(d, CounterFamily.register(registry, "flowsdk.bus.relay.messages",
        "Messages forwarded by the bus relay and taken by the other side", direction, "qos", q -> String.valueOf(q.value()),
        List.of(QoS.values())));
      failed.put(d, CounterFamily.register(registry, "flowsdk.bus.relay.failed", "Messages the other side refused, by error",
        direction, "error", FlowError::name, List.of(FlowError.values())));
    }
    dropped = CounterFamily.register(registry, "flowsdk.bus.relay.dropped", "Messages the bus relay did not forward, by reason",
      tags, "reason", DropReason::tag, List.of(DropReason.values()));
    // the statuses RemotePublisher and RemoteSubscriber count: a remote gateway refusing the token
    connectRefusals = CounterFamily.register(registry, "flowsdk.bus.relay.connect.refusals",
      "Streams the remote gateway refused, by gRPC status", tags, "status", Function.identity(),
      List.of(GrpcStatus.UNAUTHENTICATED.name(), GrpcStatus.PERMISSION_DENIED.name()));
    connectFailures = CounterFamily.register(registry, "flowsdk.bus.relay.connect.failures",
      "Streams to the remote gateway that could not be opened or broke, by reason", tags, "reason", Function.identity(),
      List.of(StreamFailures.TLS, StreamFailures.UNREACHABLE, StreamFailures.CLOSED));
  }

  void forwarded(Direction direction, QoS qos) {
    forwarded.get(direction).increment(qos);
  }

  void failed(Direction direction, FlowError error) {
    failed.get(direction).increment(error);
  }

  void dropped(DropReason reason) {
    dropped.increment(reason);
  }

  void waited() {
    buffered.increment();
  }

  void connectRefused(String status) {
    connectRefusals.increment(status);
  }

  void connectFailed(String reason) {
    connectFailures.increment(reason);
  }

  void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }

  void subscribed(boolean active) {
    subscribed.set(active ? 1 : 0);
  }

  /** Registers the gauges of the buffer's content. */
  void buffer(Supplier<Number> messages, Supplier<Number> bytes) {
    gauges.add(Gauge.builder("flowsdk.bus.relay.buffered.messages", messages).description("Outbound messages waiting now")
      .tags(tags).register(registry));
    gauges.add(Gauge.builder("flowsdk.bus.relay.buffered.bytes", bytes).description("Payload bytes of the outbound messages waiting now")
      .tags(tags).register(registry));
  }

  /** Removes the gauges, which refer to this relay instance. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
