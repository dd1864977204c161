package io.flowsdk.admin.resources;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminHooks;
import io.flowsdk.admin.AdminParam;
import io.flowsdk.admin.AdminParam.Kind;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.Fanout;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.mqtt.broker.MqttBrokerAdmin;
import io.flowsdk.mqtt.broker.MqttSessionInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The MQTT broker of each node, through its {@link MqttBrokerAdmin} hook: clients and sessions (with
 * paging and filters), one client's details, disconnecting it, subscriptions, and the cluster-wide
 * retained messages. A node without a broker has no clients; asked for retained messages it answers 404.
 */
public class MqttBrokerResource implements AdminResource {

  private static final List<String> BY_CLIENT = List.of("clientId");

  @Override
  public List<AdminRoute> routes() {
    return List.of(
      AdminRoute.list("/api/mqtt/clients", "mqtt.clients", Fanout.MERGED_LIST, BY_CLIENT,
        AdminParam.query("clientId", Kind.STRING)),
      AdminRoute.list("/api/mqtt/sessions", "mqtt.sessions", Fanout.MERGED_LIST, BY_CLIENT,
        AdminParam.query("clientId", Kind.STRING), AdminParam.query("connected", Kind.BOOLEAN)),
      AdminRoute.of(HttpMethod.GET, "/api/mqtt/clients/:clientId", "mqtt.client", AdminRole.READ, Fanout.FIND,
        AdminParam.path("clientId")),
      AdminRoute.of(HttpMethod.POST, "/api/mqtt/clients/:clientId/disconnect", "mqtt.disconnect", AdminRole.ADMIN, Fanout.FIND,
        AdminParam.path("clientId")),
      AdminRoute.list("/api/mqtt/subscriptions", "mqtt.subscriptions", Fanout.MERGED_LIST, List.of("clientId", "filter"),
        AdminParam.query("clientId", Kind.STRING), AdminParam.query("filter", Kind.FILTER)),
      AdminRoute.list("/api/mqtt/retained", "mqtt.retained", Fanout.LOCAL, List.of("topic"),
        AdminParam.query("filter", Kind.FILTER, "#")),
      AdminRoute.of(HttpMethod.DELETE, "/api/mqtt/retained", "mqtt.retained.delete", AdminRole.ADMIN, Fanout.LOCAL,
        AdminParam.required("topic", Kind.TOPIC)));
  }

  @Override
  public Future<Object> handle(Vertx vertx, String operation, JsonObject params) {
    Optional<MqttBrokerAdmin> found = AdminHooks.find(vertx, MqttBrokerAdmin.class);
    String clientId = params.getString("clientId");
    if (found.isEmpty()) {
      return operation.equals("mqtt.clients") || operation.equals("mqtt.sessions") || operation.equals("mqtt.subscriptions")
        ? Future.succeededFuture(new JsonArray())
        : Future.failedFuture(new FlowException(FlowError.NOT_FOUND, "this node runs no MQTT broker"));
    }
    MqttBrokerAdmin broker = found.get();
    switch (operation) {
      case "mqtt.clients":
        return sessions(broker, s -> s.connected() && matches(s, clientId) ? json(s) : null);
      case "mqtt.sessions":
        Boolean connected = params.getBoolean("connected");
        return sessions(broker, s -> matches(s, clientId) && (connected == null || connected == s.connected()) ? json(s) : null);
      case "mqtt.client":
        return broker.sessions().compose(all -> all.stream().filter(s -> s.clientId().equals(clientId)).findFirst()
          .map(s -> Future.<Object>succeededFuture(json(s).put("subscriptions", subscriptions(s, null))))
          .orElseGet(() -> Future.failedFuture(noClient(clientId, "has no session"))));
      case "mqtt.disconnect":
        return broker.disconnect(clientId).compose(done -> done
          ? Future.succeededFuture(new JsonObject().put("clientId", clientId).put("disconnected", true))
          : Future.failedFuture(noClient(clientId, "is not connected")));
      case "mqtt.subscriptions":
        String filter = params.getString("filter");
        return broker.sessions().map(all -> {
          JsonArray items = new JsonArray();
          all.stream().filter(s -> matches(s, clientId)).forEach(s -> subscriptions(s, filter).forEach(items::add));
          return items;
        });
      case "mqtt.retained":
        return broker.retained(params.getString("filter")).map(messages -> {
          JsonArray items = new JsonArray();
          messages.forEach(m -> items.add(retained(m)));
          return items;
        });
      case "mqtt.retained.delete":
        String topic = params.getString("topic");
        return broker.deleteRetained(topic).compose(deleted -> deleted
          ? Future.succeededFuture(new JsonObject().put("topic", topic).put("deleted", true))
          : Future.failedFuture(new FlowException(FlowError.NOT_FOUND, "no retained message on topic '" + topic + "'")));
      default:
        return Future.failedFuture(new FlowException(FlowError.INVALID, "MqttBrokerResource has no operation '" + operation + "'"));
    }
  }

  private static FlowException noClient(String clientId, String what) {
    return new FlowException(FlowError.NOT_FOUND, "client '" + clientId + "' " + what + " on this node");
  }

  /** A client id filter is a prefix. */
  private static boolean matches(MqttSessionInfo s, String clientIdPrefix) {
    return clientIdPrefix == null || s.clientId().startsWith(clientIdPrefix);
  }

  private static Future<Object> sessions(MqttBrokerAdmin broker, Function<MqttSessionInfo, JsonObject> select) {
    return broker.sessions().map(all -> {
      JsonArray items = new JsonArray();
      for (MqttSessionInfo s : all) {
        JsonObject item = select.apply(s);
        if (item != null) {
          items.add(item);
        }
      }
      return items;
    });
  }

  private static JsonObject json(MqttSessionInfo s) {
    return new JsonObject().put("clientId", s.clientId()).put("connected", s.connected()).put("mqttVersion", s.mqttVersion())
      .put("remoteAddress", s.remoteAddress()).put("expirySeconds", s.expirySeconds()).put("inflight", s.inflight())
      .put("queued", s.queued()).put("subscriptionCount", s.subscriptions().size());
  }

  /** The subscriptions of {@code s}, only that on {@code filter} when it is given. */
  private static JsonArray subscriptions(MqttSessionInfo s, String filter) {
    JsonArray subs = new JsonArray();
    for (MqttSessionInfo.Subscription sub : s.subscriptions()) {
      if (filter == null || filter.equals(sub.filter())) {
        subs.add(new JsonObject().put("clientId", s.clientId()).put("filter", sub.filter()).put("qos", sub.qos())
          .put("noLocal", sub.noLocal()).put("retainAsPublished", sub.retainAsPublished())
          .put("retainHandling", sub.retainHandling()));
      }
    }
    return subs;
  }

  /** A retained message: its payload as text when it is UTF-8, always in base64. */
  private static JsonObject retained(FlowMessage m) {
    return AdminPayloads.put(new JsonObject().put("topic", m.topic()).put("qos", m.qos().value()).put("timestamp", m.timestamp()),
      m.payload().getBytes());
  }
}
