package io.flowsdk.admin.resources;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which meters count each adapter's messages in and out, and its drops and errors by reason: the one
 * place that maps FlowSDK's meters onto what the console draws. Counters only, read as totals; a
 * reader derives rates from two readings.
 */
public final class TrafficMeters {

  /** What a meter counts for the console. */
  public enum Kind {
    IN, OUT, DROP, ERROR
  }

  /**
   * One meter (by its Micrometer name), the samples of it that count ({@code where}), and the reason a
   * sample is shown under ({@code reason}, for drops and errors).
   */
  public record Source(String adapter, Kind kind, String meter, Predicate<Meter.Id> where, Function<Meter.Id, String> reason) {
  }

  private static final Predicate<Meter.Id> ALL = id -> true;

  public static final List<Source> SOURCES = List.of(
    flow("bus", Kind.IN, "flowsdk.bus.published", ALL),
    flow("bus", Kind.OUT, "flowsdk.bus.delivered", ALL),
    flow("broker", Kind.IN, "flowsdk_mqtt_broker_received_total", ALL),
    flow("broker", Kind.OUT, "flowsdk_mqtt_broker_sent_total", ALL),
    flow("bridge", Kind.IN, "flowsdk.mqtt.bridge.messages", tag("direction", "inbound")),
    flow("bridge", Kind.OUT, "flowsdk.mqtt.bridge.messages", tag("direction", "outbound")),
    flow("grpc", Kind.IN, "flowsdk_grpc_published_total", ALL),
    flow("grpc", Kind.OUT, "flowsdk_grpc_delivered_total", ALL),
    flow("relay", Kind.IN, "flowsdk.relay.messages", tag("direction", "to_broker")),
    flow("relay", Kind.OUT, "flowsdk.relay.messages", tag("direction", "to_client")),
    byTag("bus", Kind.DROP, "flowsdk.bus.dropped", "reason"),
    byTag("broker", Kind.DROP, "flowsdk_mqtt_broker_dropped_total", "reason"),
    byTag("bridge", Kind.DROP, "flowsdk.mqtt.bridge.dropped", "reason"),
    byTag("grpc", Kind.DROP, "flowsdk_grpc_dropped_total", "policy"),
    byTag("bus", Kind.ERROR, "flowsdk.bus.publish.failed", "error"),
    named("broker", "flowsdk_mqtt_broker_protocol_errors_total", "protocol error"),
    byTag("broker", Kind.ERROR, "flowsdk_mqtt_broker_connect_refused_total", "reason"),
    byTag("broker", Kind.ERROR, "flowsdk_mqtt_broker_publish_refused_total", "error"),
    byTag("broker", Kind.ERROR, "flowsdk_mqtt_broker_delivery_failed_total", "error"),
    byTag("broker", Kind.ERROR, "flowsdk_mqtt_broker_limit_exceeded_total", "limit"),
    byTag("bridge", Kind.ERROR, "flowsdk.mqtt.bridge.failed", "error"),
    new Source("grpc", Kind.ERROR, "flowsdk_grpc_calls_total", id -> !"OK".equals(id.getTag("status")),
      id -> id.getTag("status")),
    byTag("grpc", Kind.ERROR, "flowsdk_grpc_refused_total", "limit"),
    named("grpc", "flowsdk_grpc_unauthenticated_total", "unauthenticated"),
    named("relay", "flowsdk.relay.sessions.refused", "session refused"),
    named("relay", "flowsdk.relay.protocol.errors", "protocol error"),
    named("relay", "flowsdk.relay.upstream.failures", "upstream unreachable"));

  private TrafficMeters() {
  }

  private static Source flow(String adapter, Kind kind, String meter, Predicate<Meter.Id> where) {
    return new Source(adapter, kind, meter, where, id -> null);
  }

  private static Source byTag(String adapter, Kind kind, String meter, String reasonTag) {
    return new Source(adapter, kind, meter, ALL, id -> id.getTag(reasonTag));
  }

  private static Source named(String adapter, String meter, String reason) {
    return new Source(adapter, Kind.ERROR, meter, ALL, id -> reason);
  }

  private static Predicate<Meter.Id> tag(String key, String value) {
    return id -> value.equals(id.getTag(key));
  }

  /**
   * The totals of {@code registry} now: {@code {"at": epoch millis, "adapters": [{"adapter", "in", "out"}],
   * "drops": [{"adapter", "reason", "count"}], "errors": [...]}}; an adapter is listed when one of its
   * flow meters exists, a reason when its count is above zero.
   */
  static JsonObject read(MeterRegistry registry, long nowMillis) {
    Map<String, long[]> flows = new TreeMap<>();
    Map<String, Map<String, Long>> drops = new TreeMap<>();
    Map<String, Map<String, Long>> errors = new TreeMap<>();
    for (Source source : SOURCES) {
      for (Counter counter : registry.find(source.meter()).counters()) {
        if (!source.where().test(counter.getId())) {
          continue;
        }
        long count = (long) counter.count();
        switch (source.kind()) {
          case IN, OUT -> flows.computeIfAbsent(source.adapter(), a -> new long[2])[source.kind() == Kind.IN ? 0 : 1] += count;
          case DROP -> add(drops, source, counter, count);
          case ERROR -> add(errors, source, counter, count);
        }
      }
    }
    JsonArray adapters = new JsonArray();
    flows.forEach((adapter, inOut) -> adapters.add(new JsonObject().put("adapter", adapter).put("in", inOut[0])
      .put("out", inOut[1])));
    return new JsonObject().put("at", nowMillis).put("adapters", adapters).put("drops", reasons(drops))
      .put("errors", reasons(errors));
  }

  private static void add(Map<String, Map<String, Long>> into, Source source, Counter counter, long count) {
    if (count > 0) {
      into.computeIfAbsent(source.adapter(), a -> new TreeMap<>())
        .merge(String.valueOf(source.reason().apply(counter.getId())), count, Long::sum);
    }
  }

  private static JsonArray reasons(Map<String, Map<String, Long>> byAdapter) {
    JsonArray list = new JsonArray();
    byAdapter.forEach((adapter, counts) -> counts.forEach((reason, count) -> list.add(new JsonObject()
      .put("adapter", adapter).put("reason", reason).put("count", count))));
    return list;
  }
}
