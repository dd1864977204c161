package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.admin.impl.ClusterMembers;
import io.flowsdk.bus.FlowBus;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** The cluster's members, and each node's deployed verticles. */
public class NodeResource implements AdminResource {

  @Override
  public List<AdminRoute> routes() {
    return List.of(
      AdminRoute.of(HttpMethod.GET, "/api/cluster", "cluster.members", AdminRole.READ, Fanout.LOCAL),
      AdminRoute.of(HttpMethod.GET, "/api/nodes", "node.verticles", AdminRole.READ, Fanout.EACH_NODE));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    return FlowBus.create(vertx).map(bus -> {
      switch (operation) {
        case "cluster.members":
          return ClusterMembers.describe(vertx, bus.nodeId());
        case "node.verticles":
          return new JsonObject().put("node", bus.nodeId()).put("verticles", verticles(vertx));
        default:
          throw new FlowException(FlowError.INVALID, "NodeResource has no operation '" + operation + "'");
      }
    });
  }

  /** The verticles deployed here, the node's own root included: {@code [{"id", "verticle", "instances"}]}. */
  private static JsonArray verticles(Vertx vertx) {
    JsonArray verticles = new JsonArray();
    for (DeploymentContext d : ((VertxInternal) vertx).deploymentManager().deployments()) {
      Set<Deployable> instances = d.deployment().instances();
      // the class, not the identifier: a verticle deployed as an instance is named "java:<class>" there
      String verticle = instances.isEmpty() ? d.deployment().identifier() : instances.iterator().next().getClass().getName();
      verticles.add(new JsonObject().put("id", d.id()).put("verticle", verticle).put("instances", instances.size()));
    }
    return verticles;
  }
}
