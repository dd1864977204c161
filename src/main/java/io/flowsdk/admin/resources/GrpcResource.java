package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gRPC calls (unary and streams) in progress on each node's gateways, from the gateway's own
 * meters: {@code flowsdk_grpc_calls_started_total} minus {@code flowsdk_grpc_calls_total}, per gateway.
 */
public class GrpcResource implements AdminResource {

  @Override
  public List<AdminRoute> routes() {
    return List.of(AdminRoute.of(HttpMethod.GET, "/api/grpc/streams", "grpc.streams", AdminRole.READ, Fanout.EACH_NODE));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    if (!operation.equals("grpc.streams")) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "GrpcResource has no operation '" + operation + "'"));
    }
    MeterRegistry registry = FlowMetrics.registry(vertx);
    Map<String, Double> inProgress = new TreeMap<>();
    for (Counter c : registry.find("flowsdk_grpc_calls_started_total").counters()) {
      inProgress.merge(c.getId().getTag("gateway"), c.count(), Double::sum);
    }
    for (Counter c : registry.find("flowsdk_grpc_calls_total").counters()) {
      inProgress.merge(c.getId().getTag("gateway"), -c.count(), Double::sum);
    }
    JsonArray gateways = new JsonArray();
    long total = 0;
    for (Map.Entry<String, Double> e : inProgress.entrySet()) {
      long calls = Math.max(0, Math.round(e.getValue()));
      total += calls;
      gateways.add(new JsonObject().put("gateway", e.getKey()).put("callsInProgress", calls));
    }
    return Future.succeededFuture(new JsonObject().put("callsInProgress", total).put("gateways", gateways));
  }
}
