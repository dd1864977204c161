package io.flowsdk.busrelay;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.busrelay.impl.GrpcRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Relays chosen topics between this node's flow bus and another FlowSDK cluster through that
 * cluster's gRPC gateway, configured by {@link GrpcRelayOptions} (descriptor
 * {@code verticles/grpc-relay.json}, reference {@code docs/bus-relay.md}).
 *
 * <p>Outbound (local bus to remote): each mapping's bus filter is subscribed; messages are rewritten,
 * marked with this cluster ({@link VisitedClusters}) and sent in order over one PublishStream; a QoS
 * 1/2 bus publish completes only when the remote gateway acknowledged it. While the remote is down
 * they wait in a bounded buffer and are sent in order after a reconnect with backoff. Inbound (remote
 * to local bus): one SubscribeAcked stream; each delivery is published here and acknowledged to the
 * remote only when this bus took it. Deployment fails only for invalid options: a remote that is down
 * is waited for.
 */
public class GrpcRelayVerticle extends VerticleBase {

  private GrpcRelay relay;

  @Override
  public Future<?> start() {
    GrpcRelayOptions options = new GrpcRelayOptions(config());
    return FlowBus.create(vertx).compose(bus -> {
      relay = new GrpcRelay(vertx, bus, options);
      return relay.start();
    });
  }

  @Override
  public Future<?> stop() {
    return relay == null ? Future.succeededFuture() : relay.stop();
  }
}
