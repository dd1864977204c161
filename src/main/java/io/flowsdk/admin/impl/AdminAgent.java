package io.flowsdk.admin.impl;

import io.flowsdk.FlowException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A node's answers to admin requests from any node of the cluster, on the event-bus address
 * {@code flowsdk.admin.<nodeId>}. A request is {@code {"operation", "params", "max"}}; the answer is
 * {@code {"result": ...}}, a paged list sorted by its route's keys and cut to {@code max} items with
 * its full size in {@code total}; a failure is the operation's {@code FlowError} as the failure code.
 */
public final class AdminAgent {

  static final String ADDRESS_PREFIX = "flowsdk.admin.";

  private final Vertx vertx;
  private final AdminResources resources;

  public AdminAgent(Vertx vertx, AdminResources resources) {
    this.vertx = vertx;
    this.resources = resources;
  }

  static String address(String nodeId) {
    return ADDRESS_PREFIX + nodeId;
  }

  /** Starts answering on this node's address. */
  public Future<MessageConsumer<JsonObject>> listen(String nodeId) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address(nodeId), this::answer);
    return consumer.completion().map(consumer);
  }

  private void answer(Message<JsonObject> request) {
    run(request.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        request.reply(new JsonObject().put("result", ar.result()));
      } else {
        FlowException e = FlowException.from(ar.cause());
        request.fail(e.error().failureCode(), e.getMessage());
      }
    });
  }

  /** Runs one request here; a resource that throws fails the future instead of the event loop. */
  Future<Object> run(JsonObject request) {
    try {
      AdminResources.Bound bound = resources.get(request.getString("operation"));
      Future<Object> result = bound.resource().handle(vertx, bound.route().operation(), request.getJsonObject("params"));
      if (!bound.route().paged()) {
        return result;
      }
      int max = request.getInteger("max", Integer.MAX_VALUE);
      return result.map(items -> Pages.firstOf((JsonArray) items, bound.route().sortKeys(), max));
    } catch (RuntimeException e) {
      return Future.failedFuture(FlowException.from(e));
    }
  }
}
