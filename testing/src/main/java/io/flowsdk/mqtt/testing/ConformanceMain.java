package io.flowsdk.mqtt.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The conformance report from the command line: runs every {@link MalformedPackets} case against one or more MQTT
 * servers and prints the table.
 *
 * <pre>
 * java -jar flowsdk-mqtt-testing.jar --host H --port P [--wait-ms 1500] [--case NAME]... [--markdown]
 * java -jar flowsdk-mqtt-testing.jar --target mosquitto=127.0.0.1:1883 --target flowsdk=127.0.0.1:1884 --markdown
 * </pre>
 *
 * Exit status: 0 when every case passed on every server, 1 when some failed, 2 for a usage error.
 */
public final class ConformanceMain {

  private ConformanceMain() {
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: --host H --port P | --target NAME=HOST:PORT..., [--wait-ms MS] [--case NAME]... [--markdown]");
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ConformanceTable table = run(vertx, options.targets, options.cases, Duration.ofMillis(options.waitMillis))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      System.out.print(options.markdown ? table.toMarkdown() : table.toText());
      System.exit(table.allPassed() ? 0 : 1);
    } finally {
      vertx.close();
    }
  }

  /** Runs {@code cases} against each target ({@code name -> host:port}), one target after the other. */
  public static Future<ConformanceTable> run(Vertx vertx, Map<String, String> targets, List<ViolationCase> cases, Duration wait) {
    ConformanceTable table = new ConformanceTable();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, String> t : targets.entrySet()) {
      String address = t.getValue();
      int colon = address.lastIndexOf(':');
      ConformanceRunner runner = new ConformanceRunner(vertx, address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)), wait);
      chain = chain.compose(v -> runner.runAll(cases)).map(results -> {
        table.add(t.getKey(), results);
        return null;
      });
    }
    return chain.map(v -> table);
  }

  private static final class Options {
    final Map<String, String> targets = new LinkedHashMap<>();
    List<ViolationCase> cases = MalformedPackets.all();
    long waitMillis = 1500;
    boolean markdown;

    static Options parse(String[] args) {
      Options o = new Options();
      String host = null;
      String port = null;
      List<ViolationCase> picked = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--markdown")) {
          o.markdown = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        String value = args[++i];
        switch (arg) {
          case "--host" -> host = value;
          case "--port" -> port = value;
          case "--wait-ms" -> o.waitMillis = Long.parseLong(value);
          case "--case" -> picked.add(MalformedPackets.named(value));
          case "--target" -> {
            int eq = value.indexOf('=');
            if (eq < 1 || value.lastIndexOf(':') < eq) {
              throw new IllegalArgumentException("--target takes NAME=HOST:PORT, not " + value);
            }
            o.targets.put(value.substring(0, eq), value.substring(eq + 1));
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (host != null || port != null) {
        if (host == null || port == null) {
          throw new IllegalArgumentException("--host and --port go together");
        }
        o.targets.put(host + ":" + port, host + ":" + port);
      }
      if (o.targets.isEmpty()) {
        throw new IllegalArgumentException("no server given");
      }
      if (!picked.isEmpty()) {
        o.cases = picked;
      }
      return o;
    }
  }
}
