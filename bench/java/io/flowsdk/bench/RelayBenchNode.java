package io.flowsdk.bench;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.relay.RelayEdgeVerticle;
import io.flowsdk.relay.RelayUpstreamOptions;
import io.flowsdk.relay.RelayUpstreamVerticle;
import io.flowsdk.relay.UpstreamAddressOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

import java.util.List;

import static io.flowsdk.bench.BrokerBenchNode.await;

/**
 * The protocol relay in a process of its own for the relay benchmark: an upstream verticle for the broker
 * {@code RelayBenchNode <broker host> <broker port>} and an edge verticle for that upstream, as two nodes
 * would deploy them, in one JVM. Prints {@code READY <edge port>} and answers stdin as
 * {@link BrokerBenchNode} does ({@code MEM}: this JVM's heap after GC, edge and upstream together).
 */
public final class RelayBenchNode {

  private RelayBenchNode() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    await(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(new RelayUpstreamOptions().setPort(0)
      .setBrokerHost(args[0]).setBrokerPort(Integer.parseInt(args[1])).toJson())));
    RelayEdgeVerticle edge = new RelayEdgeVerticle();
    await(vertx.deployVerticle(edge, new DeploymentOptions().setConfig(new RelayEdgeOptions()
      .setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setUpstreams(List.of(new UpstreamAddressOptions("127.0.0.1", upstream.actualPort()))).toJson())));
    BrokerBenchNode.answerUntilEndOfInput(vertx, List.of(edge.actualPort()));
  }
}
