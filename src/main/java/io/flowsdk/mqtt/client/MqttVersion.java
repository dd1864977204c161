package io.flowsdk.mqtt.client;

/** The protocol version the client speaks; chosen in {@link MqttClientOptions#setVersion}. */
public enum MqttVersion {
  /** MQTT 3.1.1 (protocol level 4): no properties, no reason codes beyond the CONNACK return code. */
  V3_1_1,
  /** MQTT 5.0 (protocol level 5): properties, reason codes, flow control, topic aliases, enhanced auth. */
  V5
}
