package io.flowsdk.relay;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

import java.util.List;

import static io.flowsdk.testing.Futures.join;

/**
 * What relay tests deploy, on loopback: our broker, an upstream and an edge (options from
 * {@link RelayTestOptions}), and the live-session gauge every test asserts back to zero.
 */
final class RelayFixture {

  private RelayFixture() {
  }

  /** Deploys our broker on a free loopback port; that port. */
  static int deployOurBroker(Vertx vertx) throws Exception {
    int port = FreePorts.loopback();
    join(vertx.deployVerticle(new MqttBrokerVerticle(), new DeploymentOptions().setConfig(
      new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(port))).toJson())));
    return port;
  }

  static RelayUpstreamVerticle deployUpstream(Vertx vertx, RelayUpstreamOptions options) throws Exception {
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    join(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(options.toJson())));
    return upstream;
  }

  static RelayEdgeVerticle deployEdge(Vertx vertx, RelayEdgeOptions options) throws Exception {
    RelayEdgeVerticle edge = new RelayEdgeVerticle();
    join(vertx.deployVerticle(edge, new DeploymentOptions().setConfig(options.toJson())));
    return edge;
  }

  /** The sessions {@code side} ({@code edge}, {@code upstream}, {@code proxy}) carries now; fails when none is deployed. */
  static double sessions(Vertx vertx, String side) {
    return FlowMetrics.registry(vertx).get(RelayMetrics.SESSIONS).tag("side", side).gauge().value();
  }
}
