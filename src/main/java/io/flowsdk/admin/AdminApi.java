package io.flowsdk.admin;

import io.flowsdk.admin.impl.AdminAgent;
import io.flowsdk.admin.impl.AdminHttp;
import io.flowsdk.admin.impl.AdminResources;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * The admin API of a node: the routes of every {@link AdminResource} on the class path under
 * {@code /api} of a router (the management listener's), described at {@code /api/openapi.json}, and
 * the node's admin agent, which answers the admin requests of every node in the cluster.
 */
public final class AdminApi {

  private final MessageConsumer<JsonObject> agent;

  private AdminApi(MessageConsumer<JsonObject> agent) {
    this.agent = agent;
  }

  /**
   * Adds the admin routes to {@code router} and starts this node's agent. With {@code tokens} empty
   * every caller has the {@code ADMIN} role; a node asked waits {@code requestTimeoutMillis} for
   * the others' answers.
   */
  public static Future<AdminApi> mount(Vertx vertx, Router router, String nodeId, List<AdminTokenOptions> tokens,
                                       long requestTimeoutMillis) {
    AdminResources resources = AdminResources.load();
    new AdminHttp(vertx, nodeId, resources, tokens, requestTimeoutMillis).mount(router);
    return new AdminAgent(vertx, resources).listen(nodeId).map(AdminApi::new);
  }

  /** Stops answering admin requests of other nodes. */
  public Future<Void> close() {
    return agent.unregister();
  }
}
