package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;
import io.vertx.mqtt.MqttServer;

/** One listening port of the broker: a vertx-mqtt {@link MqttServer} (TCP, TLS, WebSocket) or a {@link QuicListener}. */
interface BrokerListener {

  int actualPort();

  Future<Void> close();

  static BrokerListener of(MqttServer server) {
    return new BrokerListener() {
      @Override
      public int actualPort() {
        return server.actualPort();
      }

      @Override
      public Future<Void> close() {
        return server.close();
      }
    };
  }
}
