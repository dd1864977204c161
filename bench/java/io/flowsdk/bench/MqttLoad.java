package io.flowsdk.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The broker scenario's one load generator, the HiveMQ MQTT client (MQTT 5): publishers that keep at
 * most {@code window} publishes unfinished each (at QoS 1 until the PUBACK, at QoS 0 until written),
 * subscribers that record each message's one-way latency from the timestamp in its payload, and
 * plain connections. Every client announces {@code window} as its send maximum, and as its Receive
 * Maximum except the subscribers: they announce the protocol's 65,535, because the HiveMQ client also
 * bounds its own queue of received QoS 0 messages by its Receive Maximum and drops above it ("QoS 0
 * publish message dropped."), so a subscriber whose callbacks lag behind its socket lost what every broker
 * had delivered (the 10→1 QoS 0 rows' loss was the load generator's). The brokers' own send windows stay
 * at {@code window}: each is configured with it.
 */
final class MqttLoad {

  /** How long no message may arrive before the rest count as lost. */
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int CONNECT_CONCURRENCY = 100;
  private static final int SUBSCRIBER_RECEIVE_MAXIMUM = 65_535;
  private static final String SUBSCRIBER = "sub";

  private final int window;
  private final int payloadBytes;
  private final AtomicInteger runs = new AtomicInteger();

  MqttLoad(int window, int payloadBytes) {
    this.window = window;
    this.payloadBytes = Math.max(8, payloadBytes);
  }

  /** What one flow delivered: counts, the time from the first publish to the last arrival, latency. */
  record Flow(long expected, long received, double seconds, double p50Micros, double p99Micros) {
    double lossPercent() {
      return 100.0 * (expected - received) / expected;
    }
  }

  /**
   * {@code publishers} clients on {@code publishPort} each publish {@code perPublisher} messages to a
   * topic {@code subscribers} clients on {@code subscribePort} subscribe to, all at {@code qos}.
   * Waits for every message or until none arrived for 2 s; what did not arrive counts as lost.
   */
  Flow flow(int publishPort, int subscribePort, int publishers, int subscribers, MqttQos qos, int perPublisher)
    throws Exception {
    long expected = (long) publishers * perPublisher * subscribers;
    Arrivals arrivals = new Arrivals((int) Math.min(expected, 2_000_000));
    String base = "bench/" + runs.incrementAndGet();
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    try {
      subscribe(subscribePort, subscribers, base, qos, arrivals, clients);
      List<Mqtt5AsyncClient> pubs = connect(publishPort, publishers, "pub", clients);
      awaitRoute(pubs.get(0), base, arrivals, subscribers);
      long start = System.nanoTime();
      arrivals.measuredFrom = start;
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (Mqtt5AsyncClient pub : pubs) {
        sent.add(new Pump(pub, base + "/data", qos, perPublisher).start());
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
      arrivals.awaitAll(expected);
      return arrivals.flow(expected, start);
    } finally {
      disconnect(clients);
    }
  }

  /**
   * One publisher sends {@code rate} QoS {@code qos} messages a second, each at its due time, to one
   * subscriber for {@code warmUpSeconds + seconds}; latency counts only after the warm-up.
   */
  Flow fixedRate(int port, MqttQos qos, int rate, int warmUpSeconds, int seconds) throws Exception {
    Arrivals arrivals = new Arrivals(rate * seconds + rate);
    String base = "bench/" + runs.incrementAndGet();
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    try {
      subscribe(port, 1, base, qos, arrivals, clients);
      Mqtt5AsyncClient pub = connect(port, 1, "pub", clients).get(0);
      awaitRoute(pub, base, arrivals, 1);
      long start = System.nanoTime();
      arrivals.measuredFrom = start + TimeUnit.SECONDS.toNanos(warmUpSeconds);
      long total = (long) rate * (warmUpSeconds + seconds);
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      long measured = 0;
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (long i = 0; i < total; i++) {
        long due = start + i * interval;
        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
          LockSupport.parkNanos(due - now);
        }
        long stamp = System.nanoTime();
        if (stamp >= arrivals.measuredFrom) {
          measured++;
        }
        sent.add(pub.publishWith().topic(base + "/data").qos(qos).payload(stamped(stamp)).send());
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
      arrivals.awaitAll(measured);
      return arrivals.flow(measured, arrivals.measuredFrom);
    } finally {
      disconnect(clients);
    }
  }

  /** Opens {@code count} connections, at most 100 connecting at a time; returns them once all are connected. */
  List<Mqtt5AsyncClient> connections(int port, int count) throws Exception {
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    connect(port, count, "conn", clients);
    return clients;
  }

  void disconnect(List<Mqtt5AsyncClient> clients) throws Exception {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Mqtt5AsyncClient c : clients) {
      closing.add(c.disconnect().exceptionally(e -> null));
    }
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    clients.clear();
  }

  private byte[] stamped(long nanos) {
    byte[] payload = new byte[payloadBytes];
    ByteBuffer.wrap(payload).putLong(0, nanos);
    return payload;
  }

  private void subscribe(int port, int count, String base, MqttQos qos, Arrivals arrivals, List<Mqtt5AsyncClient> clients)
    throws Exception {
    Consumer<Mqtt5Publish> onMessage = p -> {
      if (p.getTopic().toString().endsWith("/data")) {
        arrivals.arrived(ByteBuffer.wrap(p.getPayloadAsBytes()).getLong(0));
      } else {
        arrivals.probed();
      }
    };
    for (Mqtt5AsyncClient sub : connect(port, count, SUBSCRIBER, clients)) {
      sub.subscribeWith().topicFilter(base + "/+").qos(qos).callback(onMessage).send().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Publishes on {@code base/probe} until every subscriber got one: in a cluster a subscription on
   * one node reaches the others' routing a moment later, and messages published before are not lost
   * to the figure.
   */
  private static void awaitRoute(Mqtt5AsyncClient pub, String base, Arrivals arrivals, int subscribers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (arrivals.probes.get() < subscribers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the subscribers on " + base + " got no probe message within 30 s");
      }
      arrivals.probes.set(0);
      pub.publishWith().topic(base + "/probe").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
      arrivals.awaitProbes(subscribers, TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  /** Connects {@code count} new clients, at most 100 at a time, and adds them to {@code clients}. */
  private List<Mqtt5AsyncClient> connect(int port, int count, String role, List<Mqtt5AsyncClient> clients) throws Exception {
    Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
    List<Mqtt5AsyncClient> created = new ArrayList<>();
    List<CompletableFuture<?>> connacks = new ArrayList<>();
    int run = runs.incrementAndGet();
    for (int i = 0; i < count; i++) {
      Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("bench-" + role + "-" + run + "-" + i)
        .serverHost("127.0.0.1").serverPort(port).buildAsync();
      created.add(c);
      connecting.acquire();
      connacks.add(c.connectWith().cleanStart(true).restrictions()
        .receiveMaximum(role.equals(SUBSCRIBER) ? SUBSCRIBER_RECEIVE_MAXIMUM : window).sendMaximum(window)
        .applyRestrictions().send().whenComplete((ack, e) -> connecting.release()));
    }
    clients.addAll(created);
    CompletableFuture.allOf(connacks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    return created;
  }

  /** One publisher's loop: a new publish each time one of its {@code window} unfinished ones finishes. */
  private final class Pump {
    final Mqtt5AsyncClient client;
    final String topic;
    final MqttQos qos;
    final int messages;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Pump(Mqtt5AsyncClient client, String topic, MqttQos qos, int messages) {
      this.client = client;
      this.topic = topic;
      this.qos = qos;
      this.messages = messages;
    }

    CompletableFuture<Void> start() {
      for (int i = 0; i < window; i++) {
        next();
      }
      return done;
    }

    private void next() {
      if (started.getAndIncrement() >= messages) {
        return;
      }
      client.publishWith().topic(topic).qos(qos).payload(stamped(System.nanoTime())).send().whenComplete((result, e) -> {
        if (e != null) {
          done.completeExceptionally(e);
        } else if (finished.incrementAndGet() == messages) {
          done.complete(null);
        } else {
          next();
        }
      });
    }
  }

  /** Arrivals of one flow, from any subscriber's thread. */
  private static final class Arrivals {
    final Latencies latencies;
    /** Messages sent before this time (warm-up, probes) do not count. */
    volatile long measuredFrom = Long.MAX_VALUE;
    final AtomicLong received = new AtomicLong();
    final AtomicInteger probes = new AtomicInteger();
    volatile long lastArrival;

    Arrivals(int capacity) {
      latencies = new Latencies(capacity);
    }

    void arrived(long sentNanos) {
      long now = System.nanoTime();
      if (sentNanos >= measuredFrom) {
        received.incrementAndGet();
        synchronized (latencies) {
          latencies.record(now - sentNanos);
        }
      }
      lastArrival = now;
    }

    void probed() {
      probes.incrementAndGet();
    }

    void awaitProbes(int count, long withinNanos) {
      long deadline = System.nanoTime() + withinNanos;
      while (probes.get() < count && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }

    /** Returns once {@code expected} arrived or nothing arrived for 2 s. */
    void awaitAll(long expected) {
      long waitingSince = System.nanoTime();
      while (received.get() < expected) {
        long last = Math.max(lastArrival, waitingSince);
        if (System.nanoTime() - last > QUIET_NANOS) {
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }

    Flow flow(long expected, long start) {
      synchronized (latencies) {
        return new Flow(expected, received.get(), (lastArrival - start) / 1e9, latencies.percentileMicros(50),
          latencies.percentileMicros(99));
      }
    }
  }
}
