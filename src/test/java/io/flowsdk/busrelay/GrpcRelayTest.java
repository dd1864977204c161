package io.flowsdk.busrelay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.grpc.GrpcGateway;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.GrpcPermittedOptions;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.testing.FreePorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FlowSDK to FlowSDK through the gRPC gateway: clusters are separate Vert.x instances in this JVM, each with a gateway. */
class GrpcRelayTest {

  /** One cluster: its Vert.x, bus, gateway port and the bus messages its subscriber saw. */
  static final class Cluster {
    final String id;
    final Vertx vertx = Vertx.vertx();
    final FlowBus bus;
    final int port = FreePorts.loopback();
    final List<FlowMessage> seen = new CopyOnWriteArrayList<>();
    GrpcGateway gateway;

    Cluster(String id, String filter) throws Exception {
      this.id = id;
      bus = join(FlowBus.create(vertx));
      join(bus.subscribe(filter, seen::add));
    }

    Cluster gatewayUp(GrpcGatewayOptions options) throws Exception {
      gateway = join(GrpcGateway.create(vertx, options.setHost("127.0.0.1").setPort(port)));
      return this;
    }

    void gatewayDown() throws Exception {
      join(gateway.close());
    }

    void relay(GrpcRelayOptions options) throws Exception {
      join(vertx.deployVerticle(new GrpcRelayVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    }

    /** The sum of the counters {@code name} tagged {@code tag=value}, over their other tags (a QoS, say). */
    double counter(String name, String tag, String value) {
      return FlowMetrics.registry(vertx).find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    double gauge(String name) {
      Gauge g = FlowMetrics.registry(vertx).find(name).gauge();
      return g == null ? -1 : g.value();
    }

    List<String> payloads() {
      return seen.stream().map(m -> m.payload().toString()).toList();
    }
  }

  /** The clusters a test made, closed after it. */
  static final class Clusters implements AfterEachCallback {
    private final List<Cluster> made = new ArrayList<>();

    Cluster add(String id, String filter) throws Exception {
      Cluster c = new Cluster(id, filter);
      made.add(c);
      return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
      for (Cluster c : made) {
        join(c.vertx.close());
      }
      made.clear();
    }
  }

  @RegisterExtension
  final Clusters clusters = new Clusters();

  private static GrpcRelayOptions relayTo(Cluster from, Cluster to) {
    return new GrpcRelayOptions().setName(from.id + "-to-" + to.id).setCluster(from.id).setRemoteCluster(to.id)
      .setHost("127.0.0.1").setPort(to.port).setReconnect(new BackoffOptions(50, 200, GrpcRelayOptions.DEFAULT_RECONNECT_JITTER));
  }

  private static Future<PublishResult> publish(Cluster c, String topic, String payload) {
    return c.bus.publish(FlowMessage.builder(topic).payload(payload).qos(QoS.AT_LEAST_ONCE).build());
  }

  @Test
  void givenARingOfThreeClusters_whenOnePublishesAtQos1_thenEachClusterGetsItOnceAndTheHopBackIsDropped() throws Exception {
    Cluster a = clusters.add("a", "site/#").gatewayUp(new GrpcGatewayOptions());
    Cluster b = clusters.add("b", "site/#").gatewayUp(new GrpcGatewayOptions());
    Cluster c = clusters.add("c", "site/#").gatewayUp(new GrpcGatewayOptions());
    a.relay(relayTo(a, b).addOutbound(new TopicMapping("site/#", "site/#")));
    b.relay(relayTo(b, c).addOutbound(new TopicMapping("site/#", "site/#")));
    c.relay(relayTo(c, a).addOutbound(new TopicMapping("site/#", "site/#")));

    // acknowledged only when b took it, which is when c took it, which is when c's relay dropped the hop back to a
    join(publish(a, "site/x", "once"));

    assertEquals(List.of("once"), a.payloads());
    assertEquals(List.of("once"), b.payloads());
    assertEquals(List.of("once"), c.payloads());
    assertEquals(List.of("a", "b"), c.seen.get(0).headers().stream().map(h -> h.value()).toList());
    assertEquals(1.0, c.counter("flowsdk.bus.relay.dropped", "reason", "loop"));
    assertEquals(0.0, a.counter("flowsdk.bus.relay.dropped", "reason", "loop"));
  }

  @Test
  void givenARingOfThreeClustersThatPull_whenOnePublishesAtQos1_thenEachClusterGetsItOnceAndTheHopBackIsDropped()
    throws Exception {
    Cluster a = clusters.add("a", "site/#").gatewayUp(new GrpcGatewayOptions());
    Cluster b = clusters.add("b", "site/#").gatewayUp(new GrpcGatewayOptions());
    Cluster c = clusters.add("c", "site/#").gatewayUp(new GrpcGatewayOptions());
    b.relay(relayTo(b, a).addInbound(new TopicMapping("site/#", "site/#")));
    c.relay(relayTo(c, b).addInbound(new TopicMapping("site/#", "site/#")));
    a.relay(relayTo(a, c).addInbound(new TopicMapping("site/#", "site/#")));
    await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a, b, c).stream()
      .allMatch(k -> k.gauge("flowsdk.bus.relay.subscribed") == 1.0));

    join(publish(a, "site/x", "once"));

    await().atMost(Duration.ofSeconds(10)).until(() -> a.counter("flowsdk.bus.relay.dropped", "reason", "loop") == 1.0);
    assertEquals(List.of("once"), a.payloads());
    assertEquals(List.of("once"), b.payloads());
    assertEquals(List.of("once"), c.payloads());
    assertEquals(List.of("a", "b"), c.seen.get(0).headers().stream().map(h -> h.value()).toList());
  }

  @Test
  void givenMappingsBothWays_whenEachSidePublishes_thenPrefixesAreRewrittenAndTheOriginClusterIsMarked() throws Exception {
    Cluster a = clusters.add("a", "cmd/#");
    Cluster dc = clusters.add("dc", "dc/#").gatewayUp(new GrpcGatewayOptions());
    a.relay(relayTo(a, dc)
      .addOutbound(new TopicMapping("dc/site/a/#", "site/a/#"))
      .addInbound(new TopicMapping("dc/cmd/a/#", "cmd/a/#")));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);

    join(publish(a, "site/a/line1/temp", "21"));
    join(publish(dc, "dc/cmd/a/y", "start"));

    await().atMost(Duration.ofSeconds(10)).until(() -> a.seen.size() == 1);
    FlowMessage atDc = dc.seen.stream().filter(m -> m.topic().startsWith("dc/site")).findFirst().orElseThrow();
    assertEquals("dc/site/a/line1/temp", atDc.topic());
    assertEquals("a", atDc.header(VisitedClusters.HEADER));
    FlowMessage atA = a.seen.get(0);
    assertEquals("cmd/a/y", atA.topic());
    assertEquals("dc", atA.header(VisitedClusters.HEADER));
    assertEquals(QoS.AT_LEAST_ONCE, atA.qos());
  }

  @Test
  void givenTheRemoteIsDown_whenQos1MessagesArePublished_thenTheyWaitUnacknowledgedAndAreDrainedInOrderWhenItReturns()
    throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster b = clusters.add("b", "site/#").gatewayUp(new GrpcGatewayOptions());
    a.relay(relayTo(a, b).addOutbound(new TopicMapping("site/#", "site/#")));
    join(publish(a, "site/x", "before"));
    b.gatewayDown();
    // a stream that was open may still carry messages until the relay has seen its end (HTTP/2 GOAWAY)
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.connected") == 0.0);

    List<Future<PublishResult>> whileDown = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      whileDown.add(publish(a, "site/x", "m" + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.buffered.messages") == 30.0);
    assertTrue(whileDown.stream().noneMatch(Future::isComplete), "nothing is acknowledged while the remote is down");

    b.gatewayUp(new GrpcGatewayOptions());
    for (Future<PublishResult> f : whileDown) {
      join(f);
    }
    List<String> expected = new ArrayList<>(List.of("before"));
    IntStream.range(0, 30).forEach(i -> expected.add("m" + i));
    assertEquals(expected, b.payloads());
    assertEquals(0.0, a.gauge("flowsdk.bus.relay.buffered.messages"));
    assertTrue(a.counter("flowsdk.bus.relay.buffered", "relay", "a-to-b") >= 30);
    assertEquals(31.0, a.counter("flowsdk.bus.relay.messages", "direction", "outbound"));
  }

  @Test
  void givenTheRemoteRestarts_whenItPublishesAgain_thenTheInboundSubscriptionIsBackAndDelivers() throws Exception {
    Cluster a = clusters.add("a", "cmd/#");
    Cluster dc = clusters.add("dc", "none/#").gatewayUp(new GrpcGatewayOptions());
    a.relay(relayTo(a, dc).addInbound(new TopicMapping("dc/cmd/#", "cmd/#")));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);

    dc.gatewayDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 0.0);
    dc.gatewayUp(new GrpcGatewayOptions());
    await().atMost(Duration.ofSeconds(10)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);
    join(publish(dc, "dc/cmd/go", "after restart"));

    await().atMost(Duration.ofSeconds(10)).until(() -> a.seen.size() == 1);
    assertEquals("cmd/go", a.seen.get(0).topic());
    assertEquals(List.of("after restart"), a.payloads());
  }

  @Test
  void givenTheBufferIsFull_whenMoreArrive_thenThePolicyDropsTheOldestWhosePublishersSeeOverloaded() throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster b = clusters.add("b", "site/#");
    a.relay(relayTo(a, b).setBufferMaxMessages(5).addOutbound(new TopicMapping("site/#", "site/#")));

    List<Future<PublishResult>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(publish(a, "site/x", "m" + i));
    }
    for (int i = 0; i < 3; i++) {
      FlowException e = failure(sent.get(i));
      assertEquals(FlowError.OVERLOADED, e.error());
      assertTrue(e.getMessage().contains("buffer is full"), e.getMessage());
    }
    assertEquals(3.0, a.counter("flowsdk.bus.relay.dropped", "reason", "overflow"));

    b.gatewayUp(new GrpcGatewayOptions());
    for (int i = 3; i < 8; i++) {
      join(sent.get(i));
    }
    assertEquals(List.of("m3", "m4", "m5", "m6", "m7"), b.payloads());
  }

  @Test
  void givenTheRemoteRefusesTheToken_whenTheRelaySends_thenRefusalsAreCountedBackingOffAndNothingIsAcknowledged()
    throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster b = clusters.add("b", "site/#").gatewayUp(new GrpcGatewayOptions()
      .addToken(new GrpcTokenOptions().setName("relay").setSha256(GrpcTokenOptions.hash("right"))
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("site/.*"))));
    a.relay(relayTo(a, b).setToken("wrong").setReconnect(new BackoffOptions(300, 10_000, 0))
      .addOutbound(new TopicMapping("site/#", "site/#")));

    Future<PublishResult> refused = publish(a, "site/x", "secret");
    String refusals = "flowsdk.bus.relay.connect.refusals";
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
      .until(() -> a.counter(refusals, "status", "UNAUTHENTICATED") >= 1);
    long first = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
      .until(() -> a.counter(refusals, "status", "UNAUTHENTICATED") >= 3);
    long millis = (System.nanoTime() - first) / 1_000_000;
    // after the first refusal the attempts wait 300 and 600 ms (no jitter)
    assertTrue(millis >= 850, "two more refusals after only " + millis + " ms: the relay does not back off");
    assertTrue(!refused.isComplete(), "a message the remote never took is not acknowledged");
    assertEquals(List.of(), b.payloads());
  }
}
