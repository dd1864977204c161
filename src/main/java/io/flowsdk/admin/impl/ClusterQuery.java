package io.flowsdk.admin.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers one admin route from the nodes its {@link Fanout} names: a request to each node's admin
 * agent over the event bus, then the answers made one. A node that does not answer in time, or runs
 * no admin agent, is reported with its error rather than failing the whole answer (except for
 * {@link Fanout#LOCAL}).
 */
final class ClusterQuery {

  private final Vertx vertx;
  private final String localNode;
  private final long timeoutMillis;

  ClusterQuery(Vertx vertx, String localNode, long timeoutMillis) {
    this.vertx = vertx;
    this.localNode = localNode;
    this.timeoutMillis = timeoutMillis;
  }

  Future<Object> run(AdminRoute route, JsonObject params) {
    List<String> nodes = route.fanout() == Fanout.LOCAL ? List.of(localNode) : ClusterNodes.nodeIds(vertx, localNode);
    if (route.fanout() == Fanout.COMBINED) {
      return combined(route, params, nodes);
    }
    if (route.paged()) {
      return mergedList(route, params, nodes);
    }
    switch (route.fanout()) {
      case LOCAL:
        return ask(localNode, route, params, Integer.MAX_VALUE);
      case EACH_NODE:
        return eachNode(route, params, nodes);
      case FIND:
        return find(route, params, nodes);
      default:
        throw new FlowException(FlowError.INTERNAL, "admin route " + route.path() + " has fanout " + route.fanout()
          + " but no sort keys");
    }
  }

  private Future<Object> ask(String node, AdminRoute route, JsonObject params, int max) {
    JsonObject request = new JsonObject().put("operation", route.operation()).put("params", params).put("max", max);
    return vertx.eventBus().<JsonObject>request(AdminAgent.address(node), request, new DeliveryOptions().setSendTimeout(timeoutMillis))
      .transform(ar -> {
        if (ar.succeeded()) {
          return Future.succeededFuture(ar.result().body().getValue("result"));
        }
        FlowException e = FlowException.from(ar.cause());
        if (e.error() == FlowError.NO_ROUTE) {
          e = new FlowException(FlowError.NO_ROUTE, "node " + node + " answers no admin requests: it runs no management verticle");
        } else if (e.error() == FlowError.TIMEOUT) {
          e = new FlowException(FlowError.TIMEOUT, "node " + node + " did not answer within " + timeoutMillis + " ms");
        }
        return Future.failedFuture(e);
      });
  }

  private List<Future<Object>> askAll(List<String> nodes, AdminRoute route, JsonObject params, int max) {
    List<Future<Object>> answers = new ArrayList<>();
    nodes.forEach(node -> answers.add(ask(node, route, params, max)));
    return answers;
  }

  private Future<Object> eachNode(AdminRoute route, JsonObject params, List<String> nodes) {
    List<Future<Object>> answers = askAll(nodes, route, params, Integer.MAX_VALUE);
    return Future.join(answers).transform(done -> {
      JsonArray each = new JsonArray();
      for (int i = 0; i < nodes.size(); i++) {
        JsonObject entry = new JsonObject().put("node", nodes.get(i));
        Future<Object> answer = answers.get(i);
        each.add(answer.succeeded() ? entry.put("result", answer.result()) : entry.put("error", error(answer.cause())));
      }
      return Future.succeededFuture(new JsonObject().put("nodes", each));
    });
  }

  private Future<Object> find(AdminRoute route, JsonObject params, List<String> nodes) {
    List<Future<Object>> answers = askAll(nodes, route, params, Integer.MAX_VALUE);
    return Future.join(answers).transform(done -> {
      FlowException notFound = null;
      for (int i = 0; i < nodes.size(); i++) {
        Future<Object> answer = answers.get(i);
        if (answer.succeeded()) {
          return Future.succeededFuture(new JsonObject().put("node", nodes.get(i)).put("result", answer.result()));
        }
        FlowException e = FlowException.from(answer.cause());
        if (e.error() != FlowError.NOT_FOUND) {
          return Future.failedFuture(e);
        }
        notFound = notFound == null ? e : notFound;
      }
      return Future.failedFuture(notFound);
    });
  }

  private Future<Object> mergedList(AdminRoute route, JsonObject params, List<String> nodes) {
    int offset = params.getInteger("offset");
    int limit = params.getInteger("limit");
    List<Future<Object>> answers = askAll(nodes, route, params, offset + limit);
    return Future.join(answers).transform(done -> {
      if (route.fanout() == Fanout.LOCAL && answers.get(0).failed()) {
        return Future.failedFuture(answers.get(0).cause());
      }
      JsonArray items = new JsonArray();
      JsonArray errors = new JsonArray();
      long total = 0;
      for (int i = 0; i < nodes.size(); i++) {
        Future<Object> answer = answers.get(i);
        if (answer.failed()) {
          errors.add(error(answer.cause()).put("node", nodes.get(i)));
          continue;
        }
        JsonObject page = (JsonObject) answer.result();
        total += page.getLong("total");
        for (Object item : page.getJsonArray("items")) {
          items.add(((JsonObject) item).put("node", nodes.get(i)));
        }
      }
      return Future.succeededFuture(page(Pages.sorted(items, route.sortKeys()), total, offset, limit, errors));
    });
  }

  /** Each node sends all its items: things combined are configured ones (queues, tables), a handful. */
  private Future<Object> combined(AdminRoute route, JsonObject params, List<String> nodes) {
    List<Future<Object>> answers = askAll(nodes, route, params, Integer.MAX_VALUE);
    return Future.join(answers).transform(done -> {
      Map<List<Object>, NodeShares> things = new LinkedHashMap<>();
      JsonArray errors = new JsonArray();
      FlowException notFound = null;
      FlowException failed = null;
      for (int i = 0; i < nodes.size(); i++) {
        Future<Object> answer = answers.get(i);
        if (answer.failed()) {
          FlowException e = FlowException.from(answer.cause());
          if (e.error() == FlowError.NOT_FOUND) {
            notFound = notFound == null ? e : notFound;
          } else {
            failed = failed == null ? e : failed;
            errors.add(error(e).put("node", nodes.get(i)));
          }
          continue;
        }
        JsonArray items = route.paged() ? ((JsonObject) answer.result()).getJsonArray("items")
          : new JsonArray().add(answer.result());
        for (Object item : items) {
          JsonObject thing = (JsonObject) item;
          List<Object> key = route.sortKeys().stream().map(thing::getValue).toList();
          things.computeIfAbsent(key, k -> new NodeShares()).add(nodes.get(i), thing);
        }
      }
      JsonArray combined = new JsonArray();
      things.values().forEach(shares -> combined.add(shares.combined()));
      if (!route.paged()) {
        return combined.isEmpty() ? Future.failedFuture(failed != null ? failed : notFound)
          : Future.succeededFuture(combined.getJsonObject(0).put("errors", errors));
      }
      int offset = params.getInteger("offset");
      int limit = params.getInteger("limit");
      List<JsonObject> sorted = Pages.sorted(combined, route.sortKeys());
      return Future.succeededFuture(page(sorted, sorted.size(), offset, limit, errors));
    });
  }

  /** {@code {"total", "offset", "limit", "items", "errors"}}: the items of {@code sorted} from {@code offset}, at most {@code limit}. */
  private static JsonObject page(List<JsonObject> sorted, long total, int offset, int limit, JsonArray errors) {
    List<JsonObject> slice = sorted.subList(Math.min(offset, sorted.size()), Math.min(offset + limit, sorted.size()));
    return new JsonObject().put("total", total).put("offset", offset).put("limit", limit)
      .put("items", new JsonArray(new ArrayList<>(slice))).put("errors", errors);
  }

  private static JsonObject error(Throwable failure) {
    FlowException e = FlowException.from(failure);
    return new JsonObject().put("error", e.error().name()).put("message", e.getMessage());
  }
}
