package io.flowsdk.mqtt.broker;

import java.util.List;

/**
 * A snapshot of one broker session.
 *
 * @param clientId      the MQTT client identifier
 * @param connected     whether a client is connected to the session now
 * @param mqttVersion   4 (3.1.1) or 5 of the connected client, 0 while none is
 * @param remoteAddress {@code host:port} of the connected client, null while none is
 * @param expirySeconds how long the session outlives its connection
 * @param inflight      QoS 1/2 messages sent and not yet acknowledged
 * @param queued        messages waiting for the client (bounded by {@code maxQueuedMessages})
 * @param subscriptions the session's subscriptions in the order they were made
 */
public record MqttSessionInfo(String clientId, boolean connected, int mqttVersion, String remoteAddress, long expirySeconds,
                              int inflight, int queued, List<Subscription> subscriptions) {

  /** One subscription of a session, with its MQTT 5 options. */
  public record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
  }
}
