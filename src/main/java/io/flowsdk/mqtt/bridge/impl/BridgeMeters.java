package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.CounterFamily;
import io.flowsdk.mqtt.client.ConnectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The bridge's meters, tagged with its name: {@code flowsdk_mqtt_bridge_messages_total} (forwarded, by
 * direction and QoS), {@code _failed_total} (by direction and error), {@code _dropped_total} (by
 * reason), {@code _bus_retries_total}, {@code _redeliveries_total}, {@code _requests_total} (by
 * direction and outcome), {@code _pending_requests}, {@code _connected} and {@code _resubscribes_total}.
 */
public final class BridgeMeters {

  /** The {@code outcome} of a request that was answered. */
  private static final String ANSWERED = "answered";

  /** Which way a message or request went. */
  public enum Direction {
    /** Broker to bus. */
    INBOUND,
    /** Bus to broker. */
    OUTBOUND;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** Why a message was not forwarded at all. */
  public enum DropReason {
    /** The topic rewrite gave no valid topic name. */
    UNMAPPABLE,
    /** A message on an inbound request filter had no Response Topic, so it cannot be answered. */
    NO_RESPONSE_TOPIC,
    /** A reply arrived for no pending request (too late, or not ours). */
    UNKNOWN_REPLY,
    /** A message from the broker matched no mapping (for example a retained message of an old subscription). */
    UNROUTED,
    /** The message had already been on this cluster's bus (it came round a ring of relays). */
    LOOP;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter[][] forwarded = new Counter[2][3];
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger outboundPending = new AtomicInteger();
  private final Counter resubscribes;
  private final Counter busRetries;
  private final Counter redeliveries;
  private final List<Meter> gauges = new ArrayList<>();
  private final Map<Direction, CounterFamily<FlowError>> failed = new EnumMap<>(Direction.class);
  /** By direction, then by outcome: {@code answered} or the error's name. */
  private final Map<Direction, CounterFamily<String>> requests = new EnumMap<>(Direction.class);
  private final CounterFamily<DropReason> dropped;
  private final CounterFamily<ConnectReason> connectRefusals;

  public BridgeMeters(MeterRegistry registry, String bridge) {
    this.registry = registry;
    this.tags = Tags.of("bridge", bridge);
    List<String> outcomes = Stream.concat(Stream.of(ANSWERED), Stream.of(FlowError.values()).map(FlowError::name)).toList();
    for (Direction d : Direction.values()) {
      Tags direction = tags.and("direction", d.tag());
      failed.put(d, CounterFamily.register(registry, "flowsdk.mqtt.bridge.failed", "Messages the other side did not take, by error",
        direction, "error", FlowError::name, List.of(FlowError.values())));
      requests.put(d, CounterFamily.register(registry, "flowsdk.mqtt.bridge.requests", "Requests through the bridge, by outcome",
        direction, "outcome", Function.identity(), outcomes));
    }
    dropped = CounterFamily.register(registry, "flowsdk.mqtt.bridge.dropped", "Messages not forwarded, by reason", tags,
      "reason", DropReason::tag, List.of(DropReason.values()));
    connectRefusals = CounterFamily.register(registry, "flowsdk.mqtt.bridge.connect.refusals",
      "Connects the broker refused, by CONNACK reason", tags, "reason", ConnectReason::toString,
      Stream.of(ConnectReason.values()).filter(ConnectReason::isError).toList());
    for (Direction d : Direction.values()) {
      for (QoS q : QoS.values()) {
        forwarded[d.ordinal()][q.value()] = Counter.builder("flowsdk.mqtt.bridge.messages")
          .description("Messages forwarded by the MQTT bridge").tags(tags).tag("direction", d.tag())
          .tag("qos", String.valueOf(q.value())).register(registry);
      }
    }
    gauges.add(Gauge.builder("flowsdk.mqtt.bridge.connected", connected, AtomicInteger::get)
      .description("1 while the bridge's broker connection is up").tags(tags).register(registry));
    gauges.add(Gauge.builder("flowsdk.mqtt.bridge.outbound.pending", outboundPending, AtomicInteger::get)
      .description("Bus messages handed to the client and not yet acknowledged by the broker (offline buffer and inflight)")
      .tags(tags).register(registry));
    resubscribes = Counter.builder("flowsdk.mqtt.bridge.resubscribes")
      .description("Reconnects without a session, after which the bridge subscribed again").tags(tags).register(registry);
    busRetries = Counter.builder("flowsdk.mqtt.bridge.bus.retries")
      .description("Bus publishes of inbound messages tried again after a retriable failure").tags(tags).register(registry);
    redeliveries = Counter.builder("flowsdk.mqtt.bridge.redeliveries")
      .description("Inbound messages the bus did not take, left unacknowledged for the broker to send again")
      .tags(tags).register(registry);
  }

  public void busRetry() {
    busRetries.increment();
  }

  public void leftForRedelivery() {
    redeliveries.increment();
  }

  public void forwarded(Direction direction, QoS qos) {
    forwarded[direction.ordinal()][qos.value()].increment();
  }

  public void failed(Direction direction, FlowError error) {
    failed.get(direction).increment(error);
  }

  public void dropped(DropReason reason) {
    dropped.increment(reason);
  }

  /** A request finished; {@code error} is null for an answer. */
  public void request(Direction direction, FlowError error) {
    requests.get(direction).increment(error == null ? ANSWERED : error.name());
  }

  /** Registers the gauge of pending requests in one direction. */
  public void pendingRequests(Direction direction, Supplier<Number> pending) {
    gauges.add(Gauge.builder("flowsdk.mqtt.bridge.pending.requests", pending).description("Requests waiting for an answer")
      .tags(tags).tag("direction", direction.tag()).register(registry));
  }

  /** A bus message was handed to the client; {@code settled} completes when the broker acknowledged it or it failed. */
  public void outboundPending(Future<?> settled) {
    outboundPending.incrementAndGet();
    settled.onComplete(ar -> outboundPending.decrementAndGet());
  }

  /** The broker refused a connect or reconnect with a CONNACK reason code (bad credentials, not authorized, ...). */
  public void connectRefused(ConnectReason reason) {
    connectRefusals.increment(reason);
  }

  public void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }

  public void resubscribed() {
    resubscribes.increment();
  }

  /** Removes the gauges, which refer to this bridge instance (counters stay, a redeployed bridge continues them). */
  public void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
