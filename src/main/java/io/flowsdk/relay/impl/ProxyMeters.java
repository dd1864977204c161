package io.flowsdk.relay.impl;

import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the MQTT proxy enforced, by reason ({@code flowsdk.relay.proxy.enforced}, tag {@code reason}):
 * every reason registered at 0 from the start, so a dashboard finds each before it first happens. The
 * sessions, messages and refusals count in {@link RelayMetrics} with {@code side} = {@code proxy}.
 */
final class ProxyMeters {

  static final String ENFORCED = "flowsdk.relay.proxy.enforced";

  /** Why the proxy refused a client or a packet, or closed a client. */
  enum Reason {
    /** CONNECT with an unknown username or a wrong password (CONNACK 0x86 / 4). */
    BAD_CREDENTIALS,
    /** CONNECT without credentials where they are needed, or with a will the ACL does not permit (CONNACK 0x87 / 5). */
    NOT_AUTHORIZED,
    /** A PUBLISH the ACL does not permit (5.0: PUBACK / PUBREC 0x87; 3.1.1: acknowledged and dropped). */
    PUBLISH_DENIED,
    /** A subscription the ACL does not permit (SUBACK 0x87; 3.1.1: 0x80). */
    SUBSCRIBE_DENIED,
    /** A client over {@code publishRatePerSecond}: its session ended. */
    MESSAGE_RATE,
    /** A client over {@code publishBytesPerSecond}: its session ended. */
    BYTE_RATE,
    /** A client whose socket stayed unwritable for {@code slowClientTimeoutMillis}: closed. */
    SLOW_CLIENT;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  ProxyMeters(Vertx vertx, String relay) {
    MeterRegistry registry = FlowMetrics.registry(vertx);
    for (Reason reason : Reason.values()) {
      counters.put(reason, Counter.builder(ENFORCED).description("What the MQTT proxy refused or closed, by reason")
        .tag("side", "proxy").tag("relay", relay).tag("reason", reason.tag()).register(registry));
    }
  }

  void count(Reason reason) {
    counters.get(reason).increment();
  }
}
