package io.flowsdk.mqtt.broker;

import io.flowsdk.admin.AdminHooks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys an {@link MqttBroker} configured by {@code config()}, the JSON form of
 * {@link MqttBrokerOptions} (descriptor {@code verticles/mqtt-broker.json}), and registers its
 * {@link MqttBrokerAdmin} for the admin API. Deploy one instance per node: sessions live on the
 * instance's event loop, and a second instance would not see them.
 */
public class MqttBrokerVerticle extends VerticleBase {

  private MqttBroker broker;
  private Runnable unregisterAdmin = () -> { };

  @Override
  public Future<?> start() {
    return MqttBroker.create(vertx, new MqttBrokerOptions(config())).onSuccess(b -> {
      broker = b;
      unregisterAdmin = AdminHooks.register(vertx, MqttBrokerAdmin.class, b.admin());
    });
  }

  @Override
  public Future<?> stop() {
    unregisterAdmin.run();
    return broker == null ? Future.succeededFuture() : broker.close();
  }
}
