package io.flowsdk.mqtt.broker;

import io.flowsdk.mqtt.broker.impl.MqttBrokerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * An MQTT 3.1.1 and 5.0 broker on the flow bus: every PUBLISH a client sends is published on the
 * bus, and every MQTT subscription is a bus subscription, so MQTT clients, gRPC streams and bus
 * handlers anywhere in the cluster see the same messages. Retained messages live in a cluster-wide
 * map. Sessions live on the node the client connected to.
 */
public interface MqttBroker {

  /**
   * Starts the listeners of {@code options} on the caller's context (a verticle's event loop, which
   * then holds every session). Fails with {@code INVALID} for bad options or a port in use.
   */
  static Future<MqttBroker> create(Vertx vertx, MqttBrokerOptions options) {
    return MqttBrokerImpl.start(vertx, options);
  }

  /** The bound port of each listener, in the order of {@link MqttBrokerOptions#getListeners()}. */
  List<Integer> ports();

  /** What operators may see and do on this broker (the admin API's hook). */
  MqttBrokerAdmin admin();

  /** Closes the listeners and every connection; sessions end, and no will is published. */
  Future<Void> close();
}
