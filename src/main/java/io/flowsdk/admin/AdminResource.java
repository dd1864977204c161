package io.flowsdk.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What one capability (the node, the flow bus, the MQTT broker, the gRPC gateway, …) adds to the
 * admin API. A capability provides its resource as a Java service
 * ({@code META-INF/services/io.flowsdk.admin.AdminResource}, a public no-argument constructor): the
 * management listener serves its routes, and every node's admin agent runs its operations. A
 * resource finds the live object it reports on through {@link AdminHooks}.
 */
public interface AdminResource {

  /** The routes this resource adds, each naming an operation {@link #handle} runs. */
  List<AdminRoute> routes();

  /**
   * Runs {@code operation} on this node with {@code params} (read and checked as the route's
   * {@link AdminParam}s say; absent optional ones missing). Answers JSON: a
   * {@link io.vertx.core.json.JsonObject}, or a {@link io.vertx.core.json.JsonArray} of objects for a
   * paged route. Fails with {@code NOT_FOUND} when this node lacks what is asked (a client that is
   * not here, a node that runs no broker) and {@code INVALID} for a request that cannot be answered.
   */
  Future<Object> handle(Vertx vertx, String operation, JsonObject params);
}
