package io.flowsdk.relay;

import io.flowsdk.mqtt.broker.MqttListenerOptions;

import java.util.Arrays;
import java.util.List;

/** Edge options for tests: one TCP listener on a free loopback port, upstreams on loopback in the order given. */
final class RelayTestOptions {

  private RelayTestOptions() {
  }

  static RelayEdgeOptions edge(int... upstreamPorts) {
    return new RelayEdgeOptions().setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setUpstreams(Arrays.stream(upstreamPorts).mapToObj(p -> new UpstreamAddressOptions("127.0.0.1", p)).toList());
  }
}
