package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ReasonCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bridge's meters, tagged with its name: {@code flowsdk_mqtt_bridge_messages_total} (forwarded, by
 * direction and QoS), {@code _failed_total} (by direction and error), {@code _dropped_total} (by
 * reason), {@code _bus_retries_total}, {@code _redeliveries_total}, {@code _requests_total} (by
 * direction and outcome), {@code _pending_requests}, {@code _connected} and {@code _resubscribes_total}.
 */
public final class BridgeMeters {

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

  public BridgeMeters(MeterRegistry registry, String bridge) {
    this.registry = registry;
    this.tags = Tags.of("bridge", bridge);
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
    Counter.builder("flowsdk.mqtt.bridge.failed").description("Messages the other side did not take, by error")
      .tags(tags).tag("direction", direction.tag()).tag("error", error.name()).register(registry).increment();
  }

  public void dropped(DropReason reason) {
    Counter.builder("flowsdk.mqtt.bridge.dropped").description("Messages not forwarded, by reason")
      .tags(tags).tag("reason", reason.tag()).register(registry).increment();
  }

  /** A request finished; {@code error} is null for an answer. */
  public void request(Direction direction, FlowError error) {
    Counter.builder("flowsdk.mqtt.bridge.requests").description("Requests through the bridge, by outcome")
      .tags(tags).tag("direction", direction.tag()).tag("outcome", error == null ? "answered" : error.name())
      .register(registry).increment();
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
  public void connectRefused(ReasonCode reason) {
    Counter.builder("flowsdk.mqtt.bridge.connect.refusals").description("Connects the broker refused, by CONNACK reason")
      .tags(tags).tag("reason", reason.toString()).register(registry).increment();
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
