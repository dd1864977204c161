package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Each node's message totals per adapter (bus, broker, bridge, gRPC gateway, relay) in and out, and
 * its drops and errors by reason, read from its meters ({@link TrafficMeters}); the console draws
 * rates from two answers.
 */
public class TrafficResource implements AdminResource {

  @Override
  public List<AdminRoute> routes() {
    return List.of(AdminRoute.of(HttpMethod.GET, "/api/metrics/traffic", "metrics.traffic", AdminRole.READ, Fanout.EACH_NODE));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    if (!operation.equals("metrics.traffic")) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "TrafficResource has no operation '" + operation + "'"));
    }
    return Future.succeededFuture(TrafficMeters.read(FlowMetrics.registry(vertx), System.currentTimeMillis()));
  }
}
