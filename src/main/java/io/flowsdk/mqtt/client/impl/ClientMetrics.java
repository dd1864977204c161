package io.flowsdk.mqtt.client.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters of one MQTT client, tagged with its client id. */
final class ClientMetrics {

  final Counter offlineDropped;
  final Counter expiredInBuffer;
  final Counter ackTimeouts;
  final Counter reconnects;
  final Counter protocolErrors;
  final Counter sessionLost;
  final Counter notTakenCloses;

  ClientMetrics(MeterRegistry registry, String clientId) {
    offlineDropped = counter(registry, "flowsdk_mqtt_client_offline_dropped", clientId,
      "publishes dropped by the offline buffer at its limit");
    expiredInBuffer = counter(registry, "flowsdk_mqtt_client_expired_in_buffer", clientId,
      "publishes whose message expiry ran out while buffered");
    ackTimeouts = counter(registry, "flowsdk_mqtt_client_ack_timeouts", clientId,
      "publishes, subscribes and unsubscribes not acknowledged within the ack timeout");
    reconnects = counter(registry, "flowsdk_mqtt_client_reconnect_attempts", clientId, "reconnect attempts");
    protocolErrors = counter(registry, "flowsdk_mqtt_client_protocol_errors", clientId,
      "connections closed because the broker broke the protocol");
    sessionLost = counter(registry, "flowsdk_mqtt_client_session_lost_messages", clientId,
      "inflight publishes failed because the broker did not resume the session");
    notTakenCloses = counter(registry, "flowsdk_mqtt_client_not_taken_closes", clientId,
      "connections closed without acknowledging because the message handler did not take a QoS 1/2 message");
  }

  private static Counter counter(MeterRegistry registry, String name, String clientId, String description) {
    return Counter.builder(name).description(description).tag("client", clientId).register(registry);
  }
}
