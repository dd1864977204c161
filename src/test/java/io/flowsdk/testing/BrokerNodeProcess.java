package io.flowsdk.testing;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An MQTT broker node in a process of its own, for tests that kill it with {@code kill -9}: joins
 * the cluster named by its first argument, starts a broker on a free loopback port and prints
 * {@code READY <nodeId> <port>}.
 */
public final class BrokerNodeProcess {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Futures.join(new TestCluster(args[0]).startNode());
    AtomicReference<MqttBroker> broker = new AtomicReference<>();
    Futures.join(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MqttBroker.create(vertx, new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(0))))
          .onSuccess(broker::set);
      }
    }));
    FlowBus bus = Futures.join(FlowBus.create(vertx));
    System.out.println("READY " + bus.nodeId() + " " + broker.get().ports().get(0));
    System.out.flush();
  }
}
