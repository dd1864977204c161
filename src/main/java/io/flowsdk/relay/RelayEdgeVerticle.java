package io.flowsdk.relay;

import io.flowsdk.relay.impl.EdgeListener;
import io.flowsdk.relay.impl.RelayProtos;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.List;

/**
 * The edge side of the protocol relay: MQTT listeners (TCP, TLS, WebSocket) for ordinary 3.1.1 and 5.0
 * clients whose every connection becomes one bidirectional gRPC stream to the first available relay
 * upstream of its list, all streams of an instance to one upstream multiplexed over one HTTP/2 connection.
 * Configured by {@code config()}, the JSON form of {@link RelayEdgeOptions} (descriptor {@code verticles/relay-edge.json}, docs/relay.md).
 */
public class RelayEdgeVerticle extends VerticleBase {

  private EdgeListener listener;
  private List<Integer> ports = List.of();

  @Override
  public Future<?> start() {
    listener = EdgeListener.relay(vertx, new RelayEdgeOptions(config()));
    return RelayProtos.initialize(vertx).compose(v -> listener.listen()).onSuccess(p -> ports = p);
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
