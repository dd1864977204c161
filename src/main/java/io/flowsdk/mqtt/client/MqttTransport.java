package io.flowsdk.mqtt.client;

/** How the client reaches the broker; TLS is orthogonal ({@link MqttClientOptions#setSsl}). */
public enum MqttTransport {
  /** MQTT directly over TCP (or TLS): ports 1883 / 8883. */
  TCP,
  /** MQTT over WebSocket binary frames, subprotocol {@code mqtt}, on {@link MqttClientOptions#getWebSocketPath()}. */
  WEBSOCKET
}
