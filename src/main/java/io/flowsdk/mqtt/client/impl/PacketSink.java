package io.flowsdk.mqtt.client.impl;

import io.netty.handler.codec.mqtt.MqttMessage;

/** Where the protocol state machine writes packets: one open connection. */
interface PacketSink {

  void send(MqttMessage packet);

  /** False while the socket's write queue is full; the sink calls {@code ClientSession#writable()} when it drains. */
  boolean writable();

  /** Closes the connection; the transport reports the close to the session afterwards. */
  void close();
}
