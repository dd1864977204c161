package io.flowsdk.mqtt.client.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * The counters of one MQTT client, tagged with its client id (or its {@code anonymous-...} stand-in).
 * Client ids are unbounded over a process's life, so {@link #close} removes the counters when the
 * client is disconnected for good; a count after that (the client connects again) registers them anew.
 */
final class ClientMetrics {

  /** One counter of this client; looked up at each count, so that a removed one comes back. */
  final class Count {
    private final String name;
    private final String description;

    private Count(String name, String description) {
      this.name = name;
      this.description = description;
      register();
    }

    private Counter register() {
      return Counter.builder(name).description(description).tag("client", clientId).register(registry);
    }

    void increment() {
      increment(1);
    }

    void increment(double amount) {
      register().increment(amount);
    }
  }

  private final MeterRegistry registry;
  private final String clientId;
  final Count offlineDropped;
  final Count expiredInBuffer;
  final Count ackTimeouts;
  final Count reconnects;
  final Count protocolErrors;
  final Count sessionLost;
  final Count notTakenCloses;
  final Count quicEarlyData;

  ClientMetrics(MeterRegistry registry, String clientId) {
    this.registry = registry;
    this.clientId = clientId;
    offlineDropped = new Count("flowsdk_mqtt_client_offline_dropped", "publishes dropped by the offline buffer at its limit");
    expiredInBuffer = new Count("flowsdk_mqtt_client_expired_in_buffer", "publishes whose message expiry ran out while buffered");
    ackTimeouts = new Count("flowsdk_mqtt_client_ack_timeouts",
      "publishes, subscribes and unsubscribes not acknowledged within the ack timeout");
    reconnects = new Count("flowsdk_mqtt_client_reconnect_attempts", "reconnect attempts");
    protocolErrors = new Count("flowsdk_mqtt_client_protocol_errors", "connections closed because the broker broke the protocol");
    sessionLost = new Count("flowsdk_mqtt_client_session_lost_messages",
      "inflight publishes failed because the broker did not resume the session");
    notTakenCloses = new Count("flowsdk_mqtt_client_not_taken_closes",
      "connections closed without acknowledging because the message handler did not take a QoS 1/2 message");
    quicEarlyData = new Count("flowsdk_mqtt_client_quic_early_data_connects",
      "QUIC connections whose CONNECT went out in 0-RTT early data");
  }

  /** Removes this client's counters from the registry. */
  void close() {
    for (Count c : List.of(offlineDropped, expiredInBuffer, ackTimeouts, reconnects, protocolErrors, sessionLost, notTakenCloses, quicEarlyData)) {
      Counter counter = registry.find(c.name).tag("client", clientId).counter();
      if (counter != null) {
        registry.remove(counter);
      }
    }
  }
}
