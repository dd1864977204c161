package io.flowsdk.relay.impl;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.protocol.PacketBytes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one relay side ({@code side} = upstream or edge) named {@code relay}: live sessions,
 * PUBLISH packets carried each way, the MQTT bytes of its client's or broker's socket each way, sessions refused, sessions ended by a protocol error, pauses for backpressure, and (on an edge) upstreams it could not reach. Every verticle
 * instance of the same relay counts into the same gauge (kept in the Vert.x local map).
 */
public final class RelayMetrics {

  public static final String SESSIONS = "flowsdk.relay.sessions";
  public static final String REFUSED = "flowsdk.relay.sessions.refused";
  public static final String PROTOCOL_ERRORS = "flowsdk.relay.protocol.errors";
  public static final String PAUSES = "flowsdk.relay.backpressure.pauses";
  public static final String UPSTREAM_FAILURES = "flowsdk.relay.upstream.failures";
  public static final String MESSAGES = "flowsdk.relay.messages";
  public static final String RECEIVED_BYTES = "flowsdk.relay.received.bytes";
  public static final String SENT_BYTES = "flowsdk.relay.sent.bytes";

  private final AtomicInteger live;
  private final Counter refused;
  private final Counter protocolErrors;
  private final Counter pauses;
  private final Counter upstreamFailures;
  private final Counter toBroker;
  private final Counter toClient;
  private final Counter receivedBytes;
  private final Counter sentBytes;

  public RelayMetrics(Vertx vertx, String side, String relay) {
    MeterRegistry registry = FlowMetrics.registry(vertx);
    Live mine = new Live();
    Live existing = (Live) vertx.sharedData().getLocalMap("flowsdk.relay.sessions").putIfAbsent(side + "/" + relay, mine);
    live = (existing != null ? existing : mine).count;
    Gauge.builder(SESSIONS, live, AtomicInteger::get).description("MQTT sessions the relay carries now")
      .tag("side", side).tag("relay", relay).register(registry);
    refused = Counter.builder(REFUSED).description("Sessions refused: broker unreachable, no CONNACK in time, session limit")
      .tag("side", side).tag("relay", relay).register(registry);
    protocolErrors = Counter.builder(PROTOCOL_ERRORS)
      .description("Sessions ended by a protocol error: sequence gap, undecodable packet, wrong first message")
      .tag("side", side).tag("relay", relay).register(registry);
    pauses = Counter.builder(PAUSES).description("Times a session's reading paused because its writer was full")
      .tag("side", side).tag("relay", relay).register(registry);
    upstreamFailures = Counter.builder(UPSTREAM_FAILURES)
      .description("Times an edge could not open a stream to a relay upstream and failed over to the next or refused the client")
      .tag("side", side).tag("relay", relay).register(registry);
    toBroker = messages(registry, side, relay, "to_broker");
    toClient = messages(registry, side, relay, "to_client");
    receivedBytes = Counter.builder(RECEIVED_BYTES)
      .description("MQTT bytes received from the client (edge, proxy) or from the broker (upstream)")
      .tag("side", side).tag("relay", relay).register(registry);
    sentBytes = Counter.builder(SENT_BYTES)
      .description("MQTT bytes sent to the client (edge, proxy) or to the broker (upstream)")
      .tag("side", side).tag("relay", relay).register(registry);
  }

  /** Counts the MQTT bytes of {@code socket}, the client's (edge, proxy) or the broker's (upstream); returns it. */
  NetSocketInternal countBytes(NetSocketInternal socket) {
    return PacketBytes.install(socket, receivedBytes::increment, sentBytes::increment);
  }

  private static Counter messages(MeterRegistry registry, String side, String relay, String direction) {
    return Counter.builder(MESSAGES).description("PUBLISH packets the relay carried, by direction")
      .tag("side", side).tag("relay", relay).tag("direction", direction).register(registry);
  }

  /** Counts {@code packet} when it is a PUBLISH carried towards the broker ({@code toBroker}) or the client. */
  void carried(MqttMessage packet, boolean toBroker) {
    if (packet.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
      (toBroker ? this.toBroker : toClient).increment();
    }
  }

  void sessionOpened() {
    live.incrementAndGet();
  }

  void sessionClosed() {
    live.decrementAndGet();
  }

  void refused() {
    refused.increment();
  }

  void protocolError() {
    protocolErrors.increment();
  }

  void paused() {
    pauses.increment();
  }

  void upstreamFailed() {
    upstreamFailures.increment();
  }

  private static final class Live implements Shareable {
    final AtomicInteger count = new AtomicInteger();
  }
}
