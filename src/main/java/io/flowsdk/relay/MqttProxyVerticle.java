package io.flowsdk.relay;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.impl.EdgeListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.List;

/**
 * The MQTT proxy: the relay edge's MQTT listeners (TCP, TLS, WebSocket) whose every client connection
 * becomes one MQTT connection to one of several brokers, chosen by the client id on a consistent-hash
 * ring (so a reconnect lands on the same broker) with failover to the next on the ring. It
 * authenticates and authorizes at the edge (the broker's user and ACL options), limits each client's
 * publish rate, and otherwise forwards every packet both ways: MQTT state stays end to end between the
 * client and its broker. Configured by {@code config()}, the JSON form of {@link MqttProxyOptions}
 * (descriptor {@code verticles/mqtt-proxy.json}, docs/relay.md).
 */
public class MqttProxyVerticle extends VerticleBase {

  private EdgeListener listener;
  private List<Integer> ports = List.of();

  @Override
  public Future<?> start() {
    MqttProxyOptions options = new MqttProxyOptions(config());
    options.getListeners().forEach(MqttListenerOptions::validate);
    listener = EdgeListener.proxy(vertx, options);
    return listener.listen().onSuccess(p -> ports = p);
  }

  /** The port of the first MQTT listener (the chosen one when configured with 0). */
  public int actualPort() {
    return ports.get(0);
  }

  /** The ports of the MQTT listeners, in the order of the options' listeners. */
  public List<Integer> actualPorts() {
    return ports;
  }

  @Override
  public Future<?> stop() {
    return listener.close();
  }
}
