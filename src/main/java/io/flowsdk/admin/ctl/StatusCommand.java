package io.flowsdk.admin.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ctl status}: the cluster in a few lines, from the admin API ({@code /api/cluster},
 * {@code /api/nodes}, {@code /api/metrics/traffic}, the totals of {@code /api/mqtt/clients} and
 * {@code /api/mqtt/sessions}): each node with its address, its verticles and its message totals,
 * drops and errors; then the MQTT clients and sessions of the whole cluster.
 */
@Command(name = "status", description = "The cluster's nodes, their verticles and traffic totals, and the MQTT clients.")
final class StatusCommand extends AdminCommands.ApiCommand {

  @Override
  public Integer call() {
    AdminClient client = api.client();
    JsonObject cluster = client.call("GET", "/api/cluster");
    JsonObject nodes = client.call("GET", "/api/nodes");
    JsonObject traffic = client.call("GET", "/api/metrics/traffic");
    JsonObject clients = client.call("GET", "/api/mqtt/clients?limit=1");
    JsonObject sessions = client.call("GET", "/api/mqtt/sessions?limit=1");
    JsonObject answer = new JsonObject().put("cluster", cluster).put("nodes", nodes).put("traffic", traffic)
      .put("clients", clients.getLong("total")).put("sessions", sessions.getLong("total"));
    return print(answer, () -> {
      PrintWriter out = out();
      JsonArray members = cluster.getJsonArray("members");
      out.println((cluster.getBoolean("clustered") ? "cluster " + cluster.getString("name") : "standalone node") + ": "
        + members.size() + " node(s)");
      Map<String, JsonObject> verticles = byNode(nodes);
      Map<String, JsonObject> totals = byNode(traffic);
      for (Object each : members) {
        JsonObject member = (JsonObject) each;
        String node = member.getString("node");
        out.println("node " + node + (member.getString("address") == null ? "" : " " + member.getString("address"))
          + (member.getBoolean("local") ? " (asked)" : ""));
        out.println("  verticles: " + answerOf(verticles.get(node), StatusCommand::verticles));
        out.println("  messages:  " + answerOf(totals.get(node), StatusCommand::messages));
        out.println("  problems:  " + answerOf(totals.get(node), StatusCommand::problems));
      }
      out.println("mqtt: " + clients.getLong("total") + " client(s) connected, " + sessions.getLong("total") + " session(s)");
    });
  }

  /** Each node's entry of a per-node answer ({@code {"nodes": [{"node", "result"} or {"node", "error"}]}}). */
  private static Map<String, JsonObject> byNode(JsonObject perNode) {
    Map<String, JsonObject> byNode = new HashMap<>();
    perNode.getJsonArray("nodes").forEach(e -> byNode.put(((JsonObject) e).getString("node"), (JsonObject) e));
    return byNode;
  }

  private static String answerOf(JsonObject entry, Function<JsonObject, String> describe) {
    if (entry == null) {
      return "(no answer)";
    }
    JsonObject result = entry.getJsonObject("result");
    return result != null ? describe.apply(result) : "did not answer: " + entry.getJsonObject("error").getString("message");
  }

  /**
   * {@code ManagementVerticle, MqttBrokerVerticle x2}: the simple class names in name order (the node lists them in
   * the order their deployments finished), with their instance counts above one.
   */
  private static String verticles(JsonObject result) {
    return result.getJsonArray("verticles").stream().map(v -> (JsonObject) v).map(v -> {
      String name = v.getString("verticle");
      String simple = name.substring(name.lastIndexOf('.') + 1);
      return v.getInteger("instances") > 1 ? simple + " x" + v.getInteger("instances") : simple;
    }).sorted().collect(Collectors.joining(", "));
  }

  /** {@code bus in 10 out 12, broker in 5 out 5}: each adapter's totals since the node started. */
  private static String messages(JsonObject result) {
    return result.getJsonArray("adapters").stream().map(a -> (JsonObject) a)
      .map(a -> a.getString("adapter") + " in " + a.getLong("in") + " out " + a.getLong("out"))
      .collect(Collectors.joining(", "));
  }

  /** {@code dropped broker/queue_full 3, error broker/client_id_length 1}, or {@code none}. */
  private static String problems(JsonObject result) {
    String problems = Stream.concat(
        result.getJsonArray("drops").stream().map(p -> "dropped " + reason((JsonObject) p)),
        result.getJsonArray("errors").stream().map(p -> "error " + reason((JsonObject) p)))
      .collect(Collectors.joining(", "));
    return problems.isEmpty() ? "none" : problems;
  }

  private static String reason(JsonObject problem) {
    return problem.getString("adapter") + "/" + problem.getString("reason") + " " + problem.getLong("count");
  }
}
