package io.flowsdk.mqtt.client;

/** How the client reaches the broker; TLS is orthogonal ({@link MqttClientOptions#setSsl}) for TCP and WebSocket. */
public enum MqttTransport {
  /** MQTT directly over TCP (or TLS): ports 1883 / 8883. */
  TCP,
  /** MQTT over WebSocket binary frames, subprotocol {@code mqtt}, on {@link MqttClientOptions#getWebSocketPath()}. */
  WEBSOCKET,
  /**
   * MQTT over QUIC (UDP, always TLS 1.3): ALPN {@code mqtt}, the whole connection on one bidirectional
   * stream, as EMQX and NanoMQ serve it; see {@link MqttClientOptions#getQuicServerName()} and the other
   * {@code quic} options.
   */
  QUIC
}
