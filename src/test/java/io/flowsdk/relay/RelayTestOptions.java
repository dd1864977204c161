package io.flowsdk.relay;

import io.flowsdk.mqtt.broker.MqttListenerOptions;

import java.util.Arrays;
import java.util.List;

/** Options for relay tests, every port on loopback: {@link RelayFixture} deploys them. */
final class RelayTestOptions {

  private RelayTestOptions() {
  }

  /** An upstream on a free port in front of the broker on {@code brokerPort}. */
  static RelayUpstreamOptions upstream(int brokerPort) {
    return new RelayUpstreamOptions().setPort(0).setBrokerHost("127.0.0.1").setBrokerPort(brokerPort);
  }

  /** An edge with one TCP listener on a free port, to the upstreams on {@code upstreamPorts} in that order. */
  static RelayEdgeOptions edge(int... upstreamPorts) {
    return new RelayEdgeOptions().setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setUpstreams(Arrays.stream(upstreamPorts).mapToObj(p -> new UpstreamAddressOptions("127.0.0.1", p)).toList());
  }
}
