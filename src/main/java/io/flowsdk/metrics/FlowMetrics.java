package io.flowsdk.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.impl.MicrometerMetrics;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where FlowSDK's meters live: the Micrometer registry of the Vert.x instance when it runs with
 * vertx-micrometer-metrics (so {@code /metrics} shows them beside Vert.x's own), otherwise an
 * in-memory registry private to that Vert.x instance. Meter names start with {@code flowsdk_}.
 */
public final class FlowMetrics {

  private static final Map<Vertx, MeterRegistry> FALLBACKS = new WeakHashMap<>();

  private FlowMetrics() {
  }

  /** The registry FlowSDK components of {@code vertx} record into. */
  public static MeterRegistry registry(Vertx vertx) {
    if (vertx instanceof VertxInternal && ((VertxInternal) vertx).metrics() instanceof MicrometerMetrics) {
      return ((MicrometerMetrics) ((VertxInternal) vertx).metrics()).registry();
    }
    synchronized (FALLBACKS) { // creation only, once per Vert.x instance; meters are lock-free afterwards
      return FALLBACKS.computeIfAbsent(vertx, v -> new SimpleMeterRegistry());
    }
  }
}
