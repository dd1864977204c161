package io.flowsdk.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.impl.MicrometerMetrics;

/**
 * Where FlowSDK's meters live: the Micrometer registry of the Vert.x instance when it runs with
 * vertx-micrometer-metrics (so {@code /metrics} shows them beside Vert.x's own), otherwise an
 * in-memory registry private to that Vert.x instance. Meter names start with {@code flowsdk_}.
 */
public final class FlowMetrics {

  private static final String MAP = "flowsdk.metrics";
  private static final String KEY = "fallback";

  private FlowMetrics() {
  }

  /** The registry FlowSDK components of {@code vertx} record into. */
  public static MeterRegistry registry(Vertx vertx) {
    if (vertx instanceof VertxInternal && ((VertxInternal) vertx).metrics() instanceof MicrometerMetrics) {
      return ((MicrometerMetrics) ((VertxInternal) vertx).metrics()).registry();
    }
    LocalMap<String, Fallback> map = vertx.sharedData().getLocalMap(MAP);
    Fallback mine = new Fallback();
    Fallback existing = map.putIfAbsent(KEY, mine);
    return (existing != null ? existing : mine).registry;
  }

  /** The in-memory registry in the Vert.x local map, which holds only Shareable values. */
  private static final class Fallback implements Shareable {
    final MeterRegistry registry = new SimpleMeterRegistry();
  }
}
