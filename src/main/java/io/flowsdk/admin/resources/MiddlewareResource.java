package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminParam;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.middleware.NodeMiddleware;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.PastDelivery;
import io.flowsdk.queue.StoredItem;
import io.flowsdk.table.FlowTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The queues and tables each node deploys ({@link NodeMiddleware}): a queue's items by state and its
 * counters, a table's entries. A clustered queue or table is one Hazelcast map, so its figures are
 * the cluster's and it is listed once ({@link Fanout#COMBINED}); a queue's counters are its meters on
 * each node, summed. A node without middleware has none.
 */
public class MiddlewareResource implements AdminResource {

  private static final List<String> BY_NAME = List.of("name");
  private static final int REDRIVE_BY_DEFAULT = 1000;
  private static final int PEEK_BY_DEFAULT = 20;
  /** A counter figure of a queue and the meter it is read from, tagged {@code queue} (summed over its other tags). */
  private record Counted(String field, String meter) {
  }

  private static final List<Counted> QUEUE_COUNTERS = List.of(
    new Counted("enqueued", "flowsdk.queue.enqueued"),
    new Counted("acked", "flowsdk.queue.acked"),
    new Counted("nacked", "flowsdk.queue.nacked"),
    new Counted("redelivered", "flowsdk.queue.redelivered"),
    new Counted("expired", "flowsdk.queue.expired"),
    new Counted("refused", "flowsdk.queue.refused"),
    new Counted("dropped", "flowsdk.queue.dropped"),
    new Counted("deadLettered", "flowsdk.queue.dead"),
    new Counted("redriven", "flowsdk.queue.redriven"));

  @Override
  public List<AdminRoute> routes() {
    return List.of(
      AdminRoute.list("/api/queues", "queues.list", Fanout.COMBINED, BY_NAME),
      AdminRoute.of(HttpMethod.GET, "/api/queues/:name", "queues.get", AdminRole.READ, Fanout.COMBINED, AdminParam.path("name")),
      AdminRoute.of(HttpMethod.GET, "/api/queues/:name/items", "queues.items", AdminRole.READ, Fanout.LOCAL,
        AdminParam.path("name"), AdminParam.query("offset", AdminParam.Kind.OFFSET, 0),
        AdminParam.query("limit", AdminParam.Kind.LIMIT, PEEK_BY_DEFAULT)),
      // the node asked moves them: every node of a cluster sees the same dead letters
      AdminRoute.of(HttpMethod.POST, "/api/queues/:name/redrive", "queues.redrive", AdminRole.ADMIN, Fanout.LOCAL,
        AdminParam.path("name"), AdminParam.query("max", AdminParam.Kind.COUNT, REDRIVE_BY_DEFAULT)),
      AdminRoute.list("/api/tables", "tables.list", Fanout.COMBINED, BY_NAME),
      AdminRoute.of(HttpMethod.GET, "/api/tables/:name", "tables.get", AdminRole.READ, Fanout.COMBINED, AdminParam.path("name")));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    NodeMiddleware node = NodeMiddleware.of(vertx);
    String name = params.getString("name");
    switch (operation) {
      case "queues.list":
        return all(node.queues().values(), q -> queue(vertx, q));
      case "queues.get":
        return node.queue(name).map(q -> queue(vertx, q).<Object>map(json -> json))
          .orElseGet(() -> notHere("queue", name));
      case "queues.items":
        return node.queue(name).map(q -> items(q, params.getInteger("offset"), params.getInteger("limit"))).orElseGet(() -> notHere("queue", name));
      case "queues.redrive":
        return node.queue(name).map(q -> redrive(q, params.getInteger("max"))).orElseGet(() -> notHere("queue", name));
      case "tables.list":
        return all(node.tables().values(), t -> table(vertx, t));
      case "tables.get":
        return node.table(name).map(t -> table(vertx, t).<Object>map(json -> json))
          .orElseGet(() -> notHere("table", name));
      default:
        return Future.failedFuture(new FlowException(FlowError.INVALID, "MiddlewareResource has no operation '" + operation + "'"));
    }
  }

  private static <T> Future<Object> all(Collection<T> things, Function<T, Future<JsonObject>> describe) {
    List<Future<JsonObject>> described = new ArrayList<>();
    things.forEach(thing -> described.add(describe.apply(thing)));
    return Future.all(described).map(done -> {
      JsonArray items = new JsonArray();
      described.forEach(f -> items.add(f.result()));
      return items;
    });
  }

  private static Future<Object> notHere(String kind, String name) {
    return Future.failedFuture(new FlowException(FlowError.NOT_FOUND, "this node serves no " + kind + " '" + name + "'"));
  }

  private static Future<JsonObject> queue(Vertx vertx, FlowQueue queue) {
    return queue.stats().map(stats -> new JsonObject().put("name", queue.name()).put("clustered", vertx.isClustered())
      .put("ready", stats.ready()).put("delayed", stats.delayed()).put("inFlight", stats.inFlight())
      .put("deadLetters", stats.deadLetters()).put(Fanout.PER_NODE, counters(FlowMetrics.registry(vertx), queue.name()).put("consumers", stats.consumers())));
  }

  private static Future<Object> items(FlowQueue queue, int offset, int limit) {
    return queue.peek(offset, limit).map(stored -> {
      long now = System.currentTimeMillis();
      JsonArray items = new JsonArray();
      for (StoredItem item : stored) {
        items.add(AdminPayloads.put(new JsonObject().put("id", item.id()).put("state", item.state(now)).put("priority", item.priority())
          .put("attempts", item.attempts()).put("visibleAt", item.visibleAt()).put("expiresAt", item.expiresAt())
          .put("deliveries", PastDelivery.toJson(item.deliveries())), item.payload().getBytes()));
      }
      return new JsonObject().put("name", queue.name()).put("offset", offset).put("items", items);
    });
  }

  private static Future<Object> redrive(FlowQueue queue, int max) {
    return queue.redrive(max).compose(moved -> queue.deadLetters().size().map(left -> new JsonObject()
      .put("name", queue.name()).put("moved", moved).put("deadLetters", left)));
  }

  private static JsonObject counters(MeterRegistry registry, String queue) {
    JsonObject counters = new JsonObject();
    for (Counted counted : QUEUE_COUNTERS) {
      double sum = registry.find(counted.meter()).tag("queue", queue).counters().stream().mapToDouble(Counter::count).sum();
      counters.put(counted.field(), Math.round(sum));
    }
    return counters;
  }

  private static Future<JsonObject> table(Vertx vertx, FlowTable table) {
    return table.size().map(entries -> new JsonObject().put("name", table.name()).put("clustered", vertx.isClustered())
      .put("entries", entries));
  }
}
