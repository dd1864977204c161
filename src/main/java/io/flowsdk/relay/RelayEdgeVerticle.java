package io.flowsdk.relay;

import io.flowsdk.relay.impl.EdgeListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The edge side of the protocol relay: an MQTT (TCP) listener for ordinary 3.1.1 and 5.0 clients whose
 * every connection becomes one bidirectional gRPC stream to the configured relay upstream, all streams of
 * an instance multiplexed over one HTTP/2 connection. Configured by {@code config()}, the JSON form of
 * {@link RelayEdgeOptions} (descriptor {@code verticles/relay-edge.json}, docs/relay.md).
 */
public class RelayEdgeVerticle extends VerticleBase {

  private EdgeListener listener;
  private int port;

  @Override
  public Future<?> start() {
    listener = new EdgeListener(vertx, new RelayEdgeOptions(config()));
    return listener.listen().onSuccess(p -> port = p);
  }

  /** The port the MQTT listener listens on (the chosen one when configured with 0). */
  public int actualPort() {
    return port;
  }

  @Override
  public Future<?> stop() {
    return listener.close();
  }
}
