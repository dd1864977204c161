package io.flowsdk.mqtt.bridge;

/**
 * What the bridge answers the broker when the flow bus still does not take a QoS 1/2 inbound
 * message after the bridge's retries ({@link MqttBridgeOptions#getInboundRetryMaxAttempts()}).
 */
public enum InboundFailurePolicy {
  /**
   * Do not acknowledge: the client closes the connection, reconnects and the broker sends the message
   * again on the resumed session (which needs a persistent session: {@code cleanStart} false and, on
   * MQTT 5, a non-zero {@code sessionExpiryIntervalSeconds}). Nothing is lost; the price is a reconnect,
   * and duplicates at QoS 1.
   */
  REDELIVER,
  /**
   * MQTT 5 only: refuse the message with an error PUBACK/PUBREC reason code (0x97 Quota exceeded for
   * {@code OVERLOADED}, 0x80 Unspecified error otherwise). The broker does not send it again.
   */
  REJECT
}
