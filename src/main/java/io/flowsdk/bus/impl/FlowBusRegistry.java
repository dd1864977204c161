package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.UUID;

/** Keeps the one bus of each Vert.x instance, created on first use and closed with Vert.x. */
public final class FlowBusRegistry {

  private static final String MAP = "flowsdk.bus";
  private static final String KEY = "bus";

  private FlowBusRegistry() {
  }

  /**
   * The bus of {@code vertx}. {@code options} null joins the bus that runs (or creates one with the
   * defaults); otherwise they must equal those of a running bus, or the future fails with {@code INVALID}.
   */
  public static Future<FlowBus> busOf(Vertx vertx, FlowBusOptions options) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    FlowBusOptions wanted = options == null ? new FlowBusOptions() : options;
    Holder mine = new Holder(wanted);
    Holder existing = map.putIfAbsent(KEY, mine);
    if (existing != null) {
      if (options != null && !existing.options.equals(options.toJson())) {
        return Future.failedFuture(new FlowException(FlowError.INVALID, "the flow bus of this Vert.x instance already runs with "
          + existing.options.encode() + ", not " + options.toJson().encode()
          + ": give the same options, or FlowBus.create(vertx) to use the running bus"));
      }
      return existing.bus.future();
    }
    create((VertxInternal) vertx, wanted).onComplete(ar -> {
      if (ar.failed()) {
        map.remove(KEY, mine);
      }
      mine.bus.handle(ar);
    });
    return mine.bus.future();
  }

  private static Future<FlowBus> create(VertxInternal vertx, FlowBusOptions options) {
    ContextInternal busContext = vertx.createEventLoopContext();
    Promise<FlowBus> created = Promise.promise();
    busContext.runOnContext(v -> {
      ClusterManager cluster = vertx.clusterManager();
      if (cluster != null && !(cluster instanceof HazelcastClusterManager)) {
        created.fail(new FlowException(FlowError.INVALID, "the flow bus needs the Hazelcast cluster manager, not "
          + cluster.getClass().getName()));
        return;
      }
      vertx.eventBus().registerDefaultCodec(FlowMessage.class, new FlowMessageCodec());
      vertx.eventBus().registerDefaultCodec(NodeDelivery.class, new NodeDeliveryCodec());
      BusMeters meters = new BusMeters(FlowMetrics.registry(vertx));
      if (cluster == null) {
        new FlowBusImpl(vertx, busContext, options, UUID.randomUUID().toString(), meters)
          .start(() -> Future.succeededFuture(ClusterRoutes.NONE))
          .onComplete(created);
        return;
      }
      var hazelcast = ((HazelcastClusterManager) cluster).getHazelcastInstance();
      FlowBusImpl bus = new FlowBusImpl(vertx, busContext, options, HazelcastRoutes.nodeIdOf(hazelcast), meters);
      bus.start(() -> HazelcastRoutes.join(busContext, hazelcast, options.getRouteMap(), bus::ownRoutes, bus::sharedGroupGone).map(r -> r))
        .onComplete(created);
    });
    return created.future().onSuccess(bus -> vertx.addCloseHook(completion -> bus.close().onComplete(completion)));
  }

  /** The bus in the Vert.x local map; Shareable because the map holds only such values. */
  private static final class Holder implements Shareable {
    final Promise<FlowBus> bus = Promise.promise();
    final JsonObject options;

    Holder(FlowBusOptions options) {
      this.options = options.toJson();
    }
  }
}
