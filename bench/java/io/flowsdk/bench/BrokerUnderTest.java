package io.flowsdk.bench;

import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.testing.FreePorts;
import io.flowsdk.testing.MosquittoBroker;

import java.io.File;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker the broker scenario measures, in a process of its own: where it listens, the processes
 * that are it (for their CPU and memory), and how to stop it. Every broker gets the same limits: an
 * inflight window of {@code window} both ways and {@code queue} queued messages per client.
 */
final class BrokerUnderTest implements AutoCloseable {

  /**
   * The JVM options of both Java brokers; {@code -Dbench.broker.jvmArgs} adds more to ours, space-separated (a
   * profile: {@code -XX:StartFlightRecording=filename=broker.jfr,settings=profile}).
   */
  private static final List<String> JVM = List.of("-Xmx1g", "-Djava.net.preferIPv4Stack=true");
  private static final List<String> OUR_EXTRA_JVM = Arrays.stream(System.getProperty("bench.broker.jvmArgs", "").split(" "))
    .filter(arg -> !arg.isBlank()).toList();

  final String name;
  final List<Integer> ports;
  final List<Long> pids;
  /** Our broker's process, which reports its heap and direct memory; null for the peers. */
  final JavaProcess ours;
  private final AutoCloseable stop;

  private BrokerUnderTest(String name, List<Integer> ports, List<Long> pids, JavaProcess ours, AutoCloseable stop) {
    this.name = name;
    this.ports = ports;
    this.pids = pids;
    this.ours = ours;
    this.stop = stop;
  }

  /** The first listener's port. */
  int port() {
    return ports.get(0);
  }

  /** Our broker as a node deploys it; joins the cluster {@code clusterName} unless it is null. */
  static BrokerUnderTest ours(String name, String clusterName, MqttBrokerOptions options) throws Exception {
    List<String> jvm = new ArrayList<>(JVM);
    jvm.addAll(List.of("-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.logging.type=none"));
    jvm.addAll(OUR_EXTRA_JVM);
    JavaProcess p = JavaProcess.start(jvm, JavaProcess.benchClasspath(), BrokerBenchNode.class.getName(),
      clusterName == null ? "-" : clusterName, options.toJson().encode());
    return new BrokerUnderTest(name, p.ready.stream().map(Integer::valueOf).toList(), List.of(p.pid()), p, p);
  }

  /** Mosquitto from Debian (single-threaded C), logging only errors and warnings. */
  static BrokerUnderTest mosquitto(int window, int queue) {
    MosquittoBroker broker = MosquittoBroker.create().quiet()
      .config("max_inflight_messages " + window)
      .config("max_queued_messages " + queue)
      .config("set_tcp_nodelay true") // as the Java brokers (Netty) do; Nagle would add latency to the fixed-rate row
      .start();
    return new BrokerUnderTest("Mosquitto 2.0", List.of(broker.port()), List.of(broker.pid()), null, broker::stop);
  }

  /**
   * HiveMQ CE 2025.5 (embedded, in-memory persistence) in a JVM of its own, on the classpath of
   * {@code bench/hivemq-ce/pom.xml}: server Receive Maximum and the inflight cap set to {@code window}
   * (its defaults: 10 and 50), its queue to {@code queue} messages per client, discarding the oldest as ours does.
   */
  static BrokerUnderTest hiveMqCe(int window, int queue) throws Exception {
    Path home = Files.createTempDirectory("bench-hivemq-ce");
    for (String folder : List.of("conf", "data", "extensions")) {
      Files.createDirectories(home.resolve(folder));
    }
    int port = FreePorts.loopback();
    Files.writeString(home.resolve("conf/config.xml"), """
      <?xml version="1.0"?>
      <hivemq>
        <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
        <mqtt>
          <queued-messages><max-queue-size>%d</max-queue-size><strategy>discard-oldest</strategy></queued-messages>
          <receive-maximum><server-receive-maximum>%d</server-receive-maximum></receive-maximum>
        </mqtt>
        <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
        <persistence><mode>in-memory</mode></persistence>
      </hivemq>
      """.formatted(port, queue, window));
    String launcher = Path.of(HiveMqCeLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> jvm = new ArrayList<>(JVM);
    // what CE's run.sh passes
    jvm.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
    JavaProcess p = JavaProcess.start(jvm, launcher + File.pathSeparator + hiveMqCeClasspath(),
      HiveMqCeLauncher.class.getName(), home.toString(), String.valueOf(window));
    return new BrokerUnderTest("HiveMQ CE 2025.5", List.of(port), List.of(p.pid()), null, p);
  }

  /** CE's classpath, from Maven once (it resolves {@code bench/hivemq-ce/pom.xml}; online the first time). */
  private static String hiveMqCeClasspath() throws Exception {
    Path file = Path.of("target", "hivemq-ce.classpath").toAbsolutePath();
    if (!Files.exists(file)) {
      Process mvn = new ProcessBuilder("mvn", "-q", "-B", "-f", "bench/hivemq-ce/pom.xml", "dependency:build-classpath",
        "-Dmdep.outputFile=" + file).inheritIO().start();
      if (!mvn.waitFor(5, TimeUnit.MINUTES) || mvn.exitValue() != 0) {
        mvn.destroyForcibly();
        throw new IllegalStateException("could not resolve HiveMQ CE's classpath with bench/hivemq-ce/pom.xml");
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  /** CPU seconds its processes have used so far. */
  double cpuSeconds() {
    return pids.stream().mapToDouble(CpuClock::process).sum();
  }

  /** Resident memory of its processes, in bytes (/proc/PID/status VmRSS). */
  long rssBytes() throws Exception {
    long sum = 0;
    for (long pid : pids) {
      String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .findFirst().orElseThrow().replaceAll("[^0-9]", "");
      sum += Long.parseLong(rss) * 1024;
    }
    return sum;
  }

  /** Our broker's heap after a full GC and its direct memory, in bytes. */
  long[] heapAndDirect() throws Exception {
    List<String> reply = ours.ask("MEM");
    return new long[] {Long.parseLong(reply.get(0)), Long.parseLong(reply.get(1))};
  }

  @Override
  public void close() throws Exception {
    stop.close();
  }
}
