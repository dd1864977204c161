package io.flowsdk.testing;

import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A standalone (not clustered) MQTT broker in a process of its own, for tests that kill it with
 * {@code kill -9}: its first argument is the JSON of its {@link MqttBrokerOptions}; it prints
 * {@code READY <port>} with the port of its first listener.
 */
public final class StandaloneBrokerProcess {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    MqttBrokerOptions options = new MqttBrokerOptions(new JsonObject(args[0]));
    AtomicReference<MqttBroker> broker = new AtomicReference<>();
    Futures.join(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MqttBroker.create(vertx, options).onSuccess(broker::set);
      }
    }));
    System.out.println("READY " + broker.get().ports().get(0));
    System.out.flush();
  }
}
