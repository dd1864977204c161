package io.flowsdk.relay;

import io.flowsdk.mqtt.testing.CaseResult;
import io.flowsdk.mqtt.testing.ConformanceMain;
import io.flowsdk.mqtt.testing.ConformanceTable;
import io.flowsdk.mqtt.testing.MalformedPackets;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The relay loses nothing a test can see: the toolkit's conformance cases (as {@code MqttBrokerConformanceTest}
 * runs them) against a broker directly and through edge → upstream → the same broker, in one run; each case
 * passes or fails alike on both paths, except the cases docs/relay.md lists (none). Our broker and Mosquitto.
 */
class RelayConformanceTest {

  /** The broker behind the upstream, and the cases whose outcome legitimately differs through the relay (docs/relay.md). */
  enum Broker {
    FLOWSDK(Set.of()),
    /** The edge refuses three that Mosquitto lets through; Mosquitto closes without CONNACK, the upstream answers 0x88. */
    MOSQUITTO(Set.of("v311-pingreq-wrong-flags", "v5-pingreq-wrong-flags", "v5-remaining-length-not-minimal",
      "v5-receive-maximum-zero", "v5-maximum-packet-size-zero"));

    final Set<String> differentThroughTheRelay;

    Broker(Set<String> differentThroughTheRelay) {
      this.differentThroughTheRelay = differentThroughTheRelay;
    }
  }

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create().quiet();

  private final Vertx vertx = Vertx.vertx();
  private int flowsdkPort;

  @BeforeEach
  void startOurBroker() throws Exception {
    flowsdkPort = RelayFixture.deployOurBroker(vertx);
  }

  @AfterEach
  void close() throws Exception {
    Futures.join(vertx.close());
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void givenABrokerDirectlyAndThroughTheRelay_whenEveryCaseRuns_thenEachCaseScoresTheSame(Broker broker) throws Exception {
    int brokerPort = broker == Broker.FLOWSDK ? flowsdkPort : mosquitto.port();
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(brokerPort));
    RelayEdgeVerticle edge = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort()));
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("direct", "127.0.0.1:" + brokerPort);
    targets.put("relayed", "127.0.0.1:" + edge.actualPort());

    // a first session opens the edge's HTTP/2 connection, which can take longer than a case waits for its CONNACK
    Futures.join(ConformanceMain.run(vertx, Map.of("warm-up", targets.get("relayed")), MalformedPackets.all().subList(0, 1),
      Duration.ofSeconds(10)));
    ConformanceTable table = ConformanceMain.run(vertx, targets, MalformedPackets.all(), Duration.ofMillis(1000))
      .toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);

    List<CaseResult> direct = table.results("direct");
    List<CaseResult> relayed = table.results("relayed");
    List<String> differing = new ArrayList<>();
    for (int i = 0; i < direct.size(); i++) {
      if (direct.get(i).passed() != relayed.get(i).passed()) {
        differing.add(direct.get(i).violation().name());
      }
    }
    assertEquals(MalformedPackets.all().size(), relayed.size());
    assertEquals(broker.differentThroughTheRelay, Set.copyOf(differing), table.toText());
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && RelayFixture.sessions(vertx, "upstream") == 0.0);
  }
}
