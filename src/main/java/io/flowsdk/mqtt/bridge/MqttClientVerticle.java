package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.mqtt.bridge.impl.Bridge;
import io.flowsdk.mqtt.client.MqttClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Bridges an MQTT broker and the flow bus, configured by {@link MqttBridgeOptions} (descriptor
 * {@code verticles/mqtt-client.json}, reference {@code docs/mqtt-bridge.md}).
 *
 * <p>Deployment connects to the broker, subscribes there to every inbound filter, then subscribes on
 * the bus to every outbound filter and serves every outbound request address; it fails when the
 * broker cannot be reached or refuses a subscription. Later connection losses are handled by the
 * client's reconnect; after a reconnect without a session the bridge subscribes again. Messages
 * from the broker are acknowledged to it only when the bus took them (QoS 1/2), and bus messages are
 * acknowledged on the bus only when the broker did. Undeploying disconnects.
 */
public class MqttClientVerticle extends VerticleBase {

  private Bridge bridge;

  @Override
  public Future<?> start() {
    MqttBridgeOptions options = new MqttBridgeOptions(config());
    return FlowBus.create(vertx).compose(bus -> {
      bridge = new Bridge(vertx, bus, MqttClient.create(vertx, options.getClient()), options);
      return bridge.start();
    });
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.stop();
  }
}
