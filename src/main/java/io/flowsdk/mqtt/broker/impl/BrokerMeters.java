package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.metrics.CounterFamily;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The broker's meters: {@code flowsdk_mqtt_broker_connections} and {@code _sessions} (gauges),
 * {@code _received_total} and {@code _sent_total} (PUBLISH packets, by QoS), {@code _dropped_total}
 * (deliveries not sent, by {@link DropReason}), {@code _publish_refused_total} (client publishes the
 * bus refused, by error), {@code _delivery_failed_total} (client publishes the bus took but some
 * subscriber failed, by error), {@code _protocol_errors_total} (connections closed for bad input, by reason code),
 * {@code _connect_refused_total} (by {@link ConnectRefusal}), {@code _denied_total} (what the ACL
 * denied, by access), {@code _limit_exceeded_total} (by {@link Limit}),
 * {@code _retained_refused_total} (retained publishes refused at a cap, by {@link RetainedLimit}),
 * {@code _retained_messages} and {@code _retained_bytes} (gauges: what this node's index holds) and
 * {@code _received_bytes_total} / {@code _sent_bytes_total} (PUBLISH packets) and
 * {@code _shared_handed_on_total} (QoS 1/2 messages a shared subscriber left unacknowledged that
 * another member of its group took).
 */
final class BrokerMeters {

  /** Why a delivery to a client was not sent. */
  enum DropReason {
    /** The session queue was full; the overflow policy chose this message. */
    QUEUE_FULL,
    /** A QoS 0 message for a session without a connection. */
    OFFLINE,
    /** Bigger than the client's Maximum Packet Size. */
    TOO_LARGE,
    /** Its Message Expiry Interval ran out while it was queued. */
    EXPIRED;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** A per-client limit that refused something (the connection-level ones are {@link ConnectRefusal}s). */
  enum Limit {
    /** A topic name or filter longer than {@code maxTopicLength} or with more than {@code maxTopicLevels} levels. */
    TOPIC,
    /** A SUBSCRIBE beyond {@code maxSubscriptionsPerClient}. */
    SUBSCRIPTIONS,
    /** A PUBLISH beyond {@code publishRatePerSecond}. */
    PUBLISH_RATE;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** The cap that refused a retained message. */
  enum RetainedLimit {
    /** {@code maxRetainedMessages}. */
    MESSAGES,
    /** {@code maxRetainedBytes}. */
    BYTES;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final Counter[] received = new Counter[3];
  private final Counter[] sent = new Counter[3];
  private final Counter[] dropped = new Counter[DropReason.values().length];
  private final Counter receivedBytes;
  private final Counter sentBytes;
  private final Counter sharedHandedOn;
  private final Counter publishersHeld;
  private final CounterFamily<RetainedLimit> retainedRefused;
  private final CounterFamily<ConnectRefusal> connectRefused;
  private final CounterFamily<MqttAclRuleOptions.Access> denied;
  private final CounterFamily<Limit> limitExceeded;
  private final CounterFamily<FlowError> publishRefused;
  private final CounterFamily<FlowError> deliveryFailed;
  private final CounterFamily<MqttDisconnectReasonCode> protocolErrors;

  BrokerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("flowsdk_mqtt_broker_connections", connections, AtomicInteger::get).register(registry);
    Gauge.builder("flowsdk_mqtt_broker_sessions", sessions, AtomicInteger::get).register(registry);
    for (int qos = 0; qos < 3; qos++) {
      received[qos] = registry.counter("flowsdk_mqtt_broker_received_total", "qos", String.valueOf(qos));
      sent[qos] = registry.counter("flowsdk_mqtt_broker_sent_total", "qos", String.valueOf(qos));
    }
    for (DropReason reason : DropReason.values()) {
      dropped[reason.ordinal()] = registry.counter("flowsdk_mqtt_broker_dropped_total", "reason", reason.tag());
    }
    receivedBytes = registry.counter("flowsdk_mqtt_broker_received_bytes_total");
    sentBytes = registry.counter("flowsdk_mqtt_broker_sent_bytes_total");
    sharedHandedOn = registry.counter("flowsdk_mqtt_broker_shared_handed_on_total");
    publishersHeld = registry.counter("flowsdk_mqtt_broker_publishers_held_total");
    retainedRefused = family("flowsdk_mqtt_broker_retained_refused_total", "limit", RetainedLimit::tag, RetainedLimit.values());
    connectRefused = family("flowsdk_mqtt_broker_connect_refused_total", "reason", ConnectRefusal::tag, ConnectRefusal.values());
    denied = family("flowsdk_mqtt_broker_denied_total", "access", a -> a.name().toLowerCase(), MqttAclRuleOptions.Access.values());
    limitExceeded = family("flowsdk_mqtt_broker_limit_exceeded_total", "limit", Limit::tag, Limit.values());
    publishRefused = family("flowsdk_mqtt_broker_publish_refused_total", "error", FlowError::name, FlowError.values());
    deliveryFailed = family("flowsdk_mqtt_broker_delivery_failed_total", "error", FlowError::name, FlowError.values());
    // the reasons the broker closes a connection for bad input with (ProtocolViolation's, WireCheck's, Connection's)
    protocolErrors = family("flowsdk_mqtt_broker_protocol_errors_total", "reason", r -> r.name().toLowerCase(),
      MqttDisconnectReasonCode.MALFORMED_PACKET, MqttDisconnectReasonCode.PROTOCOL_ERROR,
      MqttDisconnectReasonCode.TOPIC_NAME_INVALID, MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID,
      MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH);
  }

  @SafeVarargs
  private <K> CounterFamily<K> family(String name, String key, Function<K, String> tagValue, K... upFront) {
    return CounterFamily.register(registry, name, null, Tags.empty(), key, tagValue, List.of(upFront));
  }

  int connectionCount() {
    return connections.get();
  }

  int sessionCount() {
    return sessions.get();
  }

  void receivedBytes(long bytes) {
    receivedBytes.increment(bytes);
  }

  void sentBytes(long bytes) {
    sentBytes.increment(bytes);
  }

  /** A QoS 1/2 delivery found a connected client's queue full and held its publisher's acknowledgement. */
  void publisherHeld() {
    publishersHeld.increment();
  }

  void sharedHandedOn() {
    sharedHandedOn.increment();
  }

  void connectRefused(ConnectRefusal refusal) {
    connectRefused.increment(refusal);
  }

  void denied(MqttAclRuleOptions.Access access) {
    denied.increment(access);
  }

  void limitExceeded(Limit limit) {
    limitExceeded.increment(limit);
  }

  /** Totals for {@code $SYS}: PUBLISH packets and bytes received and sent, deliveries dropped. */
  BrokerTotals totals() {
    return new BrokerTotals(sum(received), sum(sent), (long) receivedBytes.count(), (long) sentBytes.count(), sum(dropped));
  }

  private static long sum(Counter[] counters) {
    double total = 0;
    for (Counter c : counters) {
      total += c.count();
    }
    return (long) total;
  }

  /** Running totals of this node's broker. */
  record BrokerTotals(long messagesReceived, long messagesSent, long bytesReceived, long bytesSent, long dropped) {
  }

  void connected(int delta) {
    connections.addAndGet(delta);
  }

  void sessions(int delta) {
    sessions.addAndGet(delta);
  }

  void received(int qos) {
    received[qos].increment();
  }

  void sent(int qos) {
    sent[qos].increment();
  }

  void dropped(DropReason reason) {
    dropped[reason.ordinal()].increment();
  }

  double droppedCount(DropReason reason) {
    return dropped[reason.ordinal()].count();
  }

  void publishRefused(FlowError error) {
    publishRefused.increment(error);
  }

  void deliveryFailed(FlowError error) {
    deliveryFailed.increment(error);
  }

  void retainedRefused(RetainedLimit limit) {
    retainedRefused.increment(limit);
  }

  /** Gauges of the retained messages {@code index} knows of. */
  void retained(RetainedIndex index) {
    Gauge.builder("flowsdk_mqtt_broker_retained_messages", index, RetainedIndex::count).strongReference(true).register(registry);
    Gauge.builder("flowsdk_mqtt_broker_retained_bytes", index, RetainedIndex::bytes).strongReference(true).register(registry);
  }

  /** A connection closed for bad input, by the MQTT 5 reason it is closed with (3.1.1 connections alike). */
  void protocolError(MqttDisconnectReasonCode reason) {
    protocolErrors.increment(reason);
  }
}
