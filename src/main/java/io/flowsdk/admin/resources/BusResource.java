package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminParam;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.bus.FlowBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The flow bus: the filters each node subscribes to, and which nodes a topic is routed to. */
public class BusResource implements AdminResource {

  @Override
  public List<AdminRoute> routes() {
    return List.of(
      AdminRoute.of(HttpMethod.GET, "/api/bus/routes", "bus.routes", AdminRole.READ, Fanout.EACH_NODE),
      AdminRoute.of(HttpMethod.GET, "/api/bus/route", "bus.routeOf", AdminRole.READ, Fanout.LOCAL,
        AdminParam.required("topic", AdminParam.Kind.TOPIC)));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    return FlowBus.create(vertx).compose(bus -> {
      switch (operation) {
        case "bus.routes":
          return bus.routes().map(filters -> new JsonObject().put("filters", new JsonArray(new ArrayList<>(filters))));
        case "bus.routeOf":
          String topic = params.getString("topic");
          return bus.routeOf(topic).map(nodes -> new JsonObject().put("topic", topic)
            .put("nodes", new JsonArray(new ArrayList<>(new TreeSet<>(nodes)))));
        default:
          return Future.failedFuture(new FlowException(FlowError.INVALID, "BusResource has no operation '" + operation + "'"));
      }
    });
  }
}
