package io.flowsdk.mqtt.client.impl;

import io.vertx.core.Future;

/** Opens connections to the broker that carry MQTT packets: TCP/TLS or WebSocket. */
interface Transport {

  /**
   * Opens a connection whose decoded packets go to {@code session.receive} and whose close is
   * reported to {@code session.closed()} and then {@code onClose}; completes with its sink.
   * Fails with {@code DISCONNECTED} when the broker cannot be reached.
   */
  Future<PacketSink> open(ClientSession session, Runnable onClose);

  Future<Void> close();
}
