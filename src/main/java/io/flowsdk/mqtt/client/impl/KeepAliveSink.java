package io.flowsdk.mqtt.client.impl;

import io.netty.handler.codec.mqtt.MqttMessage;

/** A connection's sink that tells {@link KeepAlive} about every packet sent, so PINGREQ goes out only when idle. */
final class KeepAliveSink implements PacketSink {

  private final PacketSink socket;
  private final KeepAlive keepAlive;

  KeepAliveSink(PacketSink socket, KeepAlive keepAlive) {
    this.socket = socket;
    this.keepAlive = keepAlive;
  }

  @Override
  public void send(MqttMessage packet) {
    socket.send(packet);
    keepAlive.outbound();
  }

  @Override
  public boolean writable() {
    return socket.writable();
  }

  @Override
  public void close() {
    socket.close();
  }
}
