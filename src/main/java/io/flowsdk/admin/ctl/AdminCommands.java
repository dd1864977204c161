package io.flowsdk.admin.ctl;

import io.flowsdk.admin.AdminParam;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The {@code ctl} commands that call the admin API. */
final class AdminCommands {

  private AdminCommands() {
  }

  /** Where the admin API is, and how to print its answers. */
  static final class Api {
    @Option(names = "--url", defaultValue = "${env:FLOWSDK_URL:-http://127.0.0.1:8080}",
      description = "the node's management listener (env FLOWSDK_URL; default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", defaultValue = "${env:FLOWSDK_TOKEN}", description = "bearer token (env FLOWSDK_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the API's JSON answer instead of lines")
    boolean json;

    AdminClient client() {
      return new AdminClient(url, token);
    }
  }

  abstract static class ApiCommand implements Callable<Integer> {
    @Mixin
    Api api;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints {@code answer} as JSON with --json, else as {@code lines} say; always exit 0. */
    int print(JsonObject answer, Runnable lines) {
      if (api.json) {
        out().println(answer.encodePrettily());
      } else {
        lines.run();
      }
      out().flush();
      return 0;
    }

    /** One line per item of a paged answer, then a line for nodes that did not answer. */
    int printPage(JsonObject page, Function<JsonObject, String> line) {
      return print(page, () -> {
        JsonArray items = page.getJsonArray("items");
        items.forEach(i -> out().println(line.apply((JsonObject) i)));
        out().println("(" + items.size() + " of " + page.getLong("total") + ")");
        JsonArray errors = page.getJsonArray("errors", new JsonArray());
        errors.forEach(e -> out().println("node " + ((JsonObject) e).getString("node") + " did not answer: "
          + ((JsonObject) e).getString("message")));
      });
    }
  }

  @Command(name = "clients", description = "List the connected MQTT clients of every node.")
  static final class Clients extends ApiCommand {
    @Option(names = "--client-id", description = "only client ids starting with this")
    String prefix;
    @Option(names = "--offset", defaultValue = "0")
    int offset;
    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Override
    public Integer call() {
      String query = "?offset=" + offset + "&limit=" + limit + (prefix == null ? "" : "&clientId=" + AdminClient.encode(prefix));
      return printPage(api.client().call("GET", "/api/mqtt/clients" + query), c -> c.getString("clientId") + "  node="
        + c.getString("node") + "  mqtt=" + c.getInteger("mqttVersion") + "  from=" + c.getString("remoteAddress")
        + "  subscriptions=" + c.getInteger("subscriptionCount") + "  queued=" + c.getInteger("queued"));
    }
  }

  @Command(name = "queues", description = "List every queue of the cluster once: items ready, delayed, in flight, dead-lettered; consumers and counters summed over the nodes.")
  static final class Queues extends ApiCommand {
    @Override
    public Integer call() {
      return printPage(api.client().call("GET", "/api/queues?limit=" + AdminParam.MAX_PAGE), q -> q.getString("name")
        + "  ready=" + q.getLong("ready") + "  delayed=" + q.getLong("delayed") + "  inFlight=" + q.getLong("inFlight")
        + "  deadLetters=" + q.getLong("deadLetters") + "  enqueued=" + q.getLong("enqueued") + "  acked=" + q.getLong("acked")
        + "  nacked=" + q.getLong("nacked") + "  redelivered=" + q.getLong("redelivered") + "  redriven=" + q.getLong("redriven")
        + "  consumers=" + q.getLong("consumers")
        + "  nodes=" + q.getJsonArray("nodes").size());
    }
  }

  @Command(name = "peek", description = "Show QUEUE's next items as stored, without delivering them: state, priority, attempts, how earlier deliveries ended, payload.")
  static final class Peek extends ApiCommand {
    @Parameters(paramLabel = "QUEUE")
    String queue;

    @Option(names = "--offset", defaultValue = "0", description = "how many to skip, in delivery order (default: ${DEFAULT-VALUE})")
    int offset;

    @Option(names = "--limit", defaultValue = "20", description = "the most to show, 1.." + AdminParam.MAX_PAGE + " (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      JsonObject answer = api.client().call("GET", "/api/queues/" + AdminClient.encode(queue) + "/items?offset=" + offset
        + "&limit=" + limit);
      return print(answer, () -> {
        for (Object each : answer.getJsonArray("items")) {
          JsonObject item = (JsonObject) each;
          String endings = item.getJsonArray("deliveries").stream().map(d -> ((JsonObject) d).getString("ending"))
            .collect(Collectors.joining(","));
          String payload = item.getString("payload");
          out().println(item.getString("id") + "  " + item.getString("state") + "  priority=" + item.getInteger("priority")
            + "  attempts=" + item.getInteger("attempts") + "  deliveries=" + (endings.isEmpty() ? "-" : endings) + "  "
            + (payload != null ? payload : "<" + item.getInteger("payloadBytes") + " bytes, not UTF-8>"));
        }
      });
    }
  }

  @Command(name = "redrive", description = "Move up to --max dead letters of QUEUE back into it (repeat while deadLetters is above 0).")
  static final class Redrive extends ApiCommand {
    @Parameters(paramLabel = "QUEUE")
    String queue;

    @Option(names = "--max", defaultValue = "1000", description = "the most to move, 1.." + AdminParam.MAX_COUNT + " (default: ${DEFAULT-VALUE})")
    int max;

    @Override
    public Integer call() {
      JsonObject answer = api.client().call("POST", "/api/queues/" + AdminClient.encode(queue) + "/redrive?max=" + max);
      return print(answer, () -> out().println("moved " + answer.getLong("moved") + " dead letters back into " + queue + "; "
        + answer.getLong("deadLetters") + " left"));
    }
  }

  @Command(name = "tables", description = "List every table of the cluster once, with its entries.")
  static final class Tables extends ApiCommand {
    @Override
    public Integer call() {
      return printPage(api.client().call("GET", "/api/tables?limit=" + AdminParam.MAX_PAGE), t -> t.getString("name")
        + "  entries=" + t.getLong("entries") + "  nodes=" + t.getJsonArray("nodes").size());
    }
  }

  @Command(name = "disconnect", description = "Disconnect an MQTT client, wherever in the cluster it is connected.")
  static final class Disconnect extends ApiCommand {
    @Parameters(paramLabel = "CLIENT_ID")
    String clientId;

    @Override
    public Integer call() {
      JsonObject answer = api.client().call("POST", "/api/mqtt/clients/" + AdminClient.encode(clientId) + "/disconnect");
      return print(answer, () -> out().println("disconnected " + clientId + " on node " + answer.getString("node")));
    }
  }

  @Command(name = "routes", description = "The flow-bus filters of every node or, given a topic, the nodes it is routed to.")
  static final class Routes extends ApiCommand {
    @Parameters(paramLabel = "TOPIC", arity = "0..1")
    String topic;

    @Override
    public Integer call() {
      if (topic != null) {
        JsonObject answer = api.client().call("GET", "/api/bus/route?topic=" + AdminClient.encode(topic));
        return print(answer, () -> answer.getJsonArray("nodes").forEach(n -> out().println(n)));
      }
      JsonObject answer = api.client().call("GET", "/api/bus/routes");
      return print(answer, () -> answer.getJsonArray("nodes").forEach(each -> {
        JsonObject node = (JsonObject) each;
        JsonObject result = node.getJsonObject("result");
        out().println("node " + node.getString("node") + ": " + (result == null
          ? "did not answer: " + node.getJsonObject("error").getString("message")
          : String.join(" ", result.getJsonArray("filters").getList())));
      }));
    }
  }

  @Command(name = "retained", description = "Retained messages: list [FILTER] or delete TOPIC.",
    subcommands = {RetainedList.class, RetainedDelete.class})
  static final class Retained {
  }

  @Command(name = "list", description = "List the retained messages matching FILTER (default #).")
  static final class RetainedList extends ApiCommand {
    @Parameters(paramLabel = "FILTER", defaultValue = "#")
    String filter;
    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Override
    public Integer call() {
      return printPage(api.client().call("GET", "/api/mqtt/retained?limit=" + limit + "&filter=" + AdminClient.encode(filter)),
        m -> m.getString("topic") + "  " + (m.getString("payload") != null ? m.getString("payload")
          : "(" + m.getInteger("payloadBytes") + " bytes, not UTF-8)"));
    }
  }

  @Command(name = "delete", description = "Delete the retained message of TOPIC.")
  static final class RetainedDelete extends ApiCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Override
    public Integer call() {
      JsonObject answer = api.client().call("DELETE", "/api/mqtt/retained?topic=" + AdminClient.encode(topic));
      return print(answer, () -> out().println("deleted the retained message of " + topic));
    }
  }
}
