package io.flowsdk.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Our MQTT broker beside Mosquitto and HiveMQ CE, each in a process of its own, with one load
 * generator (the HiveMQ MQTT client, {@link MqttLoad}) in this JVM, in the same run, each broker with
 * the same limits (inflight window {@code bench.window} both ways, {@code bench.broker.queue} queued
 * messages per client):
 * <ul>
 *   <li>1→1, 10→1 and 1→10 at QoS 0 and 1: delivered msg/s and loss, {@code bench.broker.messages}
 *   deliveries per row;</li>
 *   <li>QoS 1 one-way p50/p99 at a fixed 1,000 msg/s (1 s warm-up, then {@code bench.broker.rateSeconds});</li>
 *   <li>connection rate ({@code bench.broker.connects} connects, 100 at a time);</li>
 *   <li>memory per idle connection with {@code bench.broker.idle} connections: our heap after GC plus
 *   direct memory, and every broker's resident memory;</li>
 *   <li>1→1 with the publisher and the subscriber on two clustered nodes of ours.</li>
 * </ul>
 * Brokers run one after another ({@code bench.broker.brokers}, default
 * {@code flowsdk,mosquitto,hivemq,cluster,backpressure}), each measured for idle memory after a short warm-up
 * (resident memory only grows) and for the rest after a longer one; the CPU of this JVM and of the broker's
 * processes stands beside each figure. The better peer is each group's baseline, but for the
 * fixed-rate latency, whose baseline is Mosquitto (the goal is a p99 no worse than its).
 */
final class BrokerScenario implements Scenario {

  static final String OURS = "FlowSDK broker";
  private static final int MESSAGES = Integer.getInteger("bench.broker.messages", 100_000);
  private static final int QUEUE = Integer.getInteger("bench.broker.queue", 1_000);
  private static final int CONNECTS = Integer.getInteger("bench.broker.connects", 2_000);
  private static final int IDLE = Integer.getInteger("bench.broker.idle", 10_000);
  private static final int RATE = 1_000;
  private static final int RATE_SECONDS = Integer.getInteger("bench.broker.rateSeconds", 5);
  /** Which brokers run ({@code -Dbench.broker.brokers=flowsdk,cluster} while working on ours). */
  private static final Set<String> BROKERS = Set.of(System.getProperty("bench.broker.brokers", "flowsdk,mosquitto,hivemq,cluster,backpressure")
    .split(","));

  /** A flow's shape: how many publishers and subscribers. */
  private record Shape(int publishers, int subscribers) {
    String label() {
      return publishers + "→" + subscribers;
    }

    /** Messages each publisher sends so that the row delivers {@code deliveries}. */
    int perPublisher(int deliveries) {
      return deliveries / (publishers * subscribers);
    }
  }

  /** The flow shapes that run: all three, or those {@code -Dbench.broker.shapes} names (e.g. {@code 1→10}, for a profile of one). */
  private static final List<Shape> SHAPES = List.of(new Shape(1, 1), new Shape(10, 1), new Shape(1, 10)).stream()
    .filter(s -> List.of(System.getProperty("bench.broker.shapes", s.label()).split(",")).contains(s.label())).toList();

  @Override
  public String name() {
    return "broker";
  }

  /** Our broker on a free loopback port with the limits every broker here gets. */
  static MqttBrokerOptions ourOptions(BenchConfig config, List<MqttListenerOptions> listeners) {
    return new MqttBrokerOptions().setListeners(listeners)
      .setReceiveMaximum(config.window).setMaxInflight(config.window).setMaxQueuedMessages(QUEUE)
      .setMaxConnections(IDLE * 2);
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    MqttLoad load = new MqttLoad(config.window, config.payloadBytes);
    List<Row> rows = new ArrayList<>();
    MqttBrokerOptions ours = ourOptions(config, List.of(new MqttListenerOptions().setPort(0)));
    if (BROKERS.contains("flowsdk")) {
      try (BrokerUnderTest b = BrokerUnderTest.ours(OURS, null, ours)) {
        measure(config, load, b, rows);
      }
    }
    if (BROKERS.contains("mosquitto")) {
      try (BrokerUnderTest b = BrokerUnderTest.mosquitto(config.window, QUEUE)) {
        measure(config, load, b, rows);
      }
    }
    if (BROKERS.contains("hivemq")) {
      try (BrokerUnderTest b = BrokerUnderTest.hiveMqCe(config.window, QUEUE)) {
        measure(config, load, b, rows);
      }
    }
    if (BROKERS.contains("cluster")) {
      cluster(config, load, ours, rows);
    }
    if (BROKERS.contains("backpressure")) {
      backpressure(config, load, new MqttBrokerOptions(ours).setQueueBackpressure(true), rows);
    }
    return Row.results(rows);
  }

  /** The QoS 1 flows once more on our broker with {@code queueBackpressure}: publishers slowed instead of queues dropping. */
  private static void backpressure(BenchConfig config, MqttLoad load, MqttBrokerOptions options, List<Row> rows) throws Exception {
    try (BrokerUnderTest b = BrokerUnderTest.ours(OURS + " with queueBackpressure", null, options)) {
      load.flow(b.port(), b.port(), 1, 1, MqttQos.AT_LEAST_ONCE, config.warmup);
      for (Shape shape : SHAPES) {
        double loadCpu = CpuClock.thisProcess();
        double brokerCpu = b.cpuSeconds();
        MqttLoad.Flow f = load.flow(b.port(), b.port(), shape.publishers, shape.subscribers, MqttQos.AT_LEAST_ONCE,
          shape.perPublisher(MESSAGES));
        rows.add(Row.flow(shape.label() + " QoS 1", b.name, f, CpuClock.thisProcess() - loadCpu, b.cpuSeconds() - brokerCpu));
        System.out.println("    drops and PUBLISH packets so far: " + String.join(" ", b.ours.ask("DROPS")));
      }
    }
  }

  private static void cluster(BenchConfig config, MqttLoad load, MqttBrokerOptions ours, List<Row> rows) throws Exception {
    String cluster = "flowsdk-bench-" + UUID.randomUUID();
    try (BrokerUnderTest a = BrokerUnderTest.ours(OURS + " node A", cluster, ours);
         BrokerUnderTest b = BrokerUnderTest.ours(OURS + " node B", cluster, ours)) {
      for (MqttQos qos : List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE)) {
        double loadCpu = CpuClock.thisProcess();
        double brokerCpu = a.cpuSeconds() + b.cpuSeconds();
        MqttLoad.Flow f = load.flow(a.port(), b.port(), 1, 1, qos, MESSAGES);
        rows.add(Row.flow("1→1 QoS " + qos.getCode(), OURS + ", 2 clustered nodes: publisher on A, subscriber on B", f,
          CpuClock.thisProcess() - loadCpu, a.cpuSeconds() + b.cpuSeconds() - brokerCpu));
        System.out.println("    drops and PUBLISH packets so far, node A: " + String.join(" ", a.ours.ask("DROPS"))
          + "; node B: " + String.join(" ", b.ours.ask("DROPS")));
      }
    }
  }

  private static void measure(BenchConfig config, MqttLoad load, BrokerUnderTest b, List<Row> rows) throws Exception {
    System.out.println("  " + b.name + " on port " + b.port());
    load.flow(b.port(), b.port(), 1, 1, MqttQos.AT_LEAST_ONCE, config.warmup / 10);
    Row idle = idleConnections(load, b); // first: resident memory only grows, and the flows would have grown it
    load.flow(b.port(), b.port(), 1, 1, MqttQos.AT_LEAST_ONCE, config.warmup);
    for (MqttQos qos : List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE)) {
      for (Shape shape : SHAPES) {
        double loadCpu = CpuClock.thisProcess();
        double brokerCpu = b.cpuSeconds();
        MqttLoad.Flow f = load.flow(b.port(), b.port(), shape.publishers, shape.subscribers, qos, shape.perPublisher(MESSAGES));
        rows.add(Row.flow(shape.label() + " QoS " + qos.getCode(), b.name, f, CpuClock.thisProcess() - loadCpu,
          b.cpuSeconds() - brokerCpu));
        if (b.ours != null) {
          System.out.println("    drops and PUBLISH packets so far: " + String.join(" ", b.ours.ask("DROPS")));
        }
      }
    }
    double loadCpu = CpuClock.thisProcess();
    double brokerCpu = b.cpuSeconds();
    MqttLoad.Flow f = load.fixedRate(b.port(), MqttQos.AT_LEAST_ONCE, RATE, 1, RATE_SECONDS);
    Row latency = Row.flow("1→1 QoS 1 at a fixed " + RATE + " msg/s (latency)", b.name, f, CpuClock.thisProcess() - loadCpu,
      b.cpuSeconds() - brokerCpu);
    latency.baselineCandidate = b.name.startsWith("Mosquitto");
    rows.add(latency);
    rows.add(connectRate(load, b));
    rows.add(idle);
  }

  private static Row connectRate(MqttLoad load, BrokerUnderTest b) throws Exception {
    double loadCpu = CpuClock.thisProcess();
    double brokerCpu = b.cpuSeconds();
    long start = System.nanoTime();
    List<Mqtt5AsyncClient> clients = load.connections(b.port(), CONNECTS);
    double seconds = (System.nanoTime() - start) / 1e9;
    Row r = Row.of("connection rate (" + CONNECTS + " connects, 100 at a time; msg/s = connects/s)", b.name, CONNECTS, seconds,
      CpuClock.thisProcess() - loadCpu, b.cpuSeconds() - brokerCpu, "");
    load.disconnect(clients);
    return r;
  }

  /** Opens {@link #IDLE} connections and reads the broker's memory before and after. */
  private static Row idleConnections(MqttLoad load, BrokerUnderTest b) throws Exception {
    long[] before = b.ours == null ? null : b.heapAndDirect();
    long rssBefore = b.rssBytes();
    double loadCpu = CpuClock.thisProcess();
    double brokerCpu = b.cpuSeconds();
    long start = System.nanoTime();
    List<Mqtt5AsyncClient> clients = load.connections(b.port(), IDLE);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = CpuClock.thisProcess() - loadCpu;
    double cpuBroker = b.cpuSeconds() - brokerCpu;
    String memory;
    if (b.ours != null) {
      long[] after = b.heapAndDirect();
      memory = String.format(Locale.ROOT, "heap %.1f KB + direct %.1f KB, RSS %.1f KB per connection",
        perConnectionKb(after[0] - before[0]), perConnectionKb(after[1] - before[1]), perConnectionKb(b.rssBytes() - rssBefore));
    } else {
      memory = String.format(Locale.ROOT, "RSS %.1f KB per connection", perConnectionKb(b.rssBytes() - rssBefore));
    }
    load.disconnect(clients);
    return Row.of(IDLE + " idle connections (msg/s = connects/s)", b.name, IDLE, seconds, cpu, cpuBroker, memory);
  }

  private static double perConnectionKb(long bytes) {
    return bytes / 1024.0 / IDLE;
  }

  /** One measured figure before it becomes a {@link BenchResult}: which group, whose, and what it cost. */
  private static final class Row {
    final String group;
    final String subject;
    final long messages;
    final double seconds;
    final double p50;
    final double p99;
    final double cpu;
    boolean baselineCandidate;

    private Row(String group, String subject, long messages, double seconds, double p50, double p99, double cpu) {
      this.group = group;
      this.subject = subject;
      this.messages = messages;
      this.seconds = seconds;
      this.p50 = p50;
      this.p99 = p99;
      this.cpu = cpu;
      this.baselineCandidate = !subject.startsWith(OURS);
    }

    static Row flow(String group, String broker, MqttLoad.Flow f, double loadCpu, double brokerCpu) {
      String subject = String.format(Locale.ROOT, "%s (loss %.2f %%; CPU load JVM %.1f s + broker %.1f s)", broker,
        f.lossPercent(), loadCpu, brokerCpu);
      print(group, subject, f.received() / f.seconds(), f.p99Micros());
      return new Row(group, subject, f.received(), f.seconds(), f.p50Micros(), f.p99Micros(), loadCpu + brokerCpu);
    }

    static Row of(String group, String broker, long count, double seconds, double loadCpu, double brokerCpu, String note) {
      String subject = String.format(Locale.ROOT, "%s (%sCPU load JVM %.1f s + broker %.1f s)", broker,
        note.isEmpty() ? "" : note + "; ", loadCpu, brokerCpu);
      print(group, subject, count / seconds, Double.NaN);
      return new Row(group, subject, count, seconds, Double.NaN, Double.NaN, loadCpu + brokerCpu);
    }

    private static void print(String group, String subject, double rate, double p99) {
      System.out.printf(Locale.ROOT, "  %-60s %-90s %,10.0f/s  p99 %8.0f µs%n", group, subject, rate, p99);
    }

    /** In group order of first appearance, each group's baseline the candidate with the best throughput. */
    static List<BenchResult> results(List<Row> rows) {
      List<BenchResult> results = new ArrayList<>();
      List<String> groups = rows.stream().map(r -> r.group).distinct().toList();
      for (String g : groups) {
        List<Row> members = rows.stream().filter(r -> r.group.equals(g)).toList();
        Row base = members.stream().filter(r -> r.baselineCandidate)
          .max((x, y) -> Double.compare(x.messages / x.seconds, y.messages / y.seconds)).orElse(null);
        for (Row r : members) {
          results.add(new BenchResult(g, r.subject, r == base, r.messages, r.seconds, r.p50, r.p99, r.cpu));
        }
      }
      return results;
    }
  }
}
