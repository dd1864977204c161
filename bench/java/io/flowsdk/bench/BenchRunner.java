package io.flowsdk.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the benchmark scenarios, prints a table and writes {@code docs/BENCHMARKS.md}. Every figure
 * is beside a peer measured in the same run on the same machine; the ratio column is what counts.
 *
 * <p>Run with {@code mvn -Pbench test-compile exec:java}; choose scenarios with
 * {@code -Dbench.only=flowbus}, sizes with {@code -Dbench.messages=...} (see {@link BenchConfig}).
 */
public final class BenchRunner {

  static final List<Scenario> SCENARIOS = List.of(new FlowBusScenario(), new MqttClientScenario(), new GrpcGatewayScenario(),
    new StorageScenario(), new FilterScenario(), new MiddlewareScenario(), new BrokerScenario(),
    new BrokerQuicScenario(), new RelayScenario());

  private BenchRunner() {
  }

  public static void main(String[] args) throws Exception {
    BenchConfig config = new BenchConfig();
    Set<String> only = new TreeSet<>(Arrays.asList(System.getProperty("bench.only", "").split(",")));
    only.remove("");
    List<BenchResult> results = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    for (Scenario s : SCENARIOS) {
      if (!only.isEmpty() && !only.contains(s.name())) {
        continue;
      }
      System.out.println("== " + s.name() + " (" + config + ")");
      List<BenchResult> rows = s.run(config);
      results.addAll(rows);
      ran.add(s.name());
      System.out.println(table(rows));
    }
    String report = report(config, ran, results);
    Path out = Path.of(System.getProperty("bench.out", "docs/BENCHMARKS.md"));
    Files.writeString(out, report);
    System.out.println("wrote " + out.toAbsolutePath());
    System.exit(0);
  }

  static String table(List<BenchResult> rows) {
    Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(r.group, g -> new ArrayList<>()).add(r));
    StringBuilder sb = new StringBuilder();
    sb.append("| scenario | subject | msg/s | ratio to peer | p50 µs | p99 µs | p99 ratio | CPU s | CPU µs/msg |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, List<BenchResult>> g : groups.entrySet()) {
      BenchResult base = g.getValue().stream().filter(r -> r.baseline).findFirst().orElse(g.getValue().get(0));
      for (BenchResult r : g.getValue()) {
        sb.append(String.format(Locale.ROOT, "| %s | %s%s | %,.0f | %s | %.0f | %.0f | %s | %s | %s |%n",
          g.getKey(), r.subject, r.baseline ? " (peer)" : "", r.throughput(),
          r.baseline ? "1.00" : String.format(Locale.ROOT, "%.2f", r.throughput() / base.throughput()),
          r.p50Micros, r.p99Micros,
          r.baseline ? "1.00" : String.format(Locale.ROOT, "%.2f", r.p99Micros / base.p99Micros),
          measured(r) ? String.format(Locale.ROOT, "%.1f", r.cpuSeconds) : "n/a",
          measured(r) ? String.format(Locale.ROOT, "%.1f", r.cpuSeconds * 1e6 / r.messages) : "n/a"));
      }
    }
    return sb.toString();
  }

  private static boolean measured(BenchResult r) {
    return r.cpuSeconds >= 0 && !Double.isNaN(r.cpuSeconds);
  }

  static String report(BenchConfig config, List<String> ran, List<BenchResult> results) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmarks\n\n");
    sb.append("Written by `mvn -Pbench test-compile exec:java` (`bench/java/io/flowsdk/bench/BenchRunner.java`). Every FlowSDK ")
      .append("figure stands beside a peer doing the same work in the same run on the same machine; only the ratios mean ")
      .append("anything, and only on this kind of machine. Throughput ratio > 1 and p99 ratio < 1 favour FlowSDK. ")
      .append("Latency is one-way, from send to receipt, measured with up to `window` messages in flight, so it includes queueing. ")
      .append("CPU s is the CPU time the measured processes used during the run (on 2 cores the load generator often bounds the figure), CPU µs/msg the same per message.\n\n");
    sb.append("## Machine\n\n");
    sb.append("- date: ").append(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append(" UTC\n");
    sb.append("- CPU: ").append(procValue("/proc/cpuinfo", "model name")).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
    sb.append("- memory: ").append(procValue("/proc/meminfo", "MemTotal")).append('\n');
    sb.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
      .append(", heap max ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB\n");
    sb.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
    sb.append("- run: ").append(config).append("; scenarios: ").append(String.join(", ", ran)).append("\n\n");
    sb.append("## Results\n\n").append(table(results)).append('\n');
    sb.append("JVM input arguments: `").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`\n");
    return sb.toString();
  }

  /** The value of the first line of {@code file} starting with {@code key} ("key : value"), or "unknown". */
  private static String procValue(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
