package io.flowsdk.mqtt.bridge;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bus refuses inbound messages for a while: the bridge must neither acknowledge them to the
 * broker nor lose them. The rule used: the only bus subscriber fails every delivery with
 * {@code OVERLOADED} during the first 1.5 s after its first delivery, far longer than the bridge's
 * three attempts (10 + 20 ms of backoff), so the bridge gives up at least once, closes the connection
 * unacknowledged and takes the broker's redelivery on the resumed session.
 */
class MqttBridgeBusRefusalTest {

  private static final int MESSAGES = 40;
  private static final long REFUSING_MILLIS = 1_500;

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create().config("max_inflight_messages 100");

  final Vertx vertx = Vertx.vertx();
  final List<HivePeer> peers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (HivePeer p : peers) {
      p.close();
    }
    join(vertx.close());
  }

  @ParameterizedTest
  @CsvSource({"V3_1_1,1", "V3_1_1,2", "V5,1", "V5,2"})
  void givenTheBusRefusesForAWhile_whenMessagesArrive_thenEachIsTakenAtLeastOnceAtQos1AndExactlyOnceAtQos2(
    MqttVersion version, int qos) throws Exception {
    String name = "refusal-" + version + "-" + qos;
    FlowBus bus = join(FlowBus.create(vertx));
    MqttBridgeOptions options = new MqttBridgeOptions().setName(name)
      .setClient(new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setVersion(version)
        .setClientId(name).setCleanStart(false).setSessionExpiryIntervalSeconds(300)
        .setTimeoutPreset(TimeoutPreset.LOCAL).setReconnectInitialDelayMillis(50).setReconnectMaxDelayMillis(200))
      .addInbound(new TopicMapping(name + "/#", "bus/" + name + "/#").setQos(QoS.of(qos)))
      .setInboundRetryMaxAttempts(3).setInboundRetryInitialDelayMillis(10).setInboundRetryMaxDelayMillis(20);
    List<String> taken = new CopyOnWriteArrayList<>();
    AtomicLong refusingUntil = new AtomicLong();
    join(bus.subscribe(new SubscriptionOptions().setFilter("bus/" + name + "/#").setQos(QoS.EXACTLY_ONCE), m -> {
      refusingUntil.compareAndSet(0, System.currentTimeMillis() + REFUSING_MILLIS);
      if (System.currentTimeMillis() < refusingUntil.get()) {
        return Future.failedFuture(new FlowException(FlowError.OVERLOADED, "the subscriber is busy"));
      }
      taken.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    HivePeer publisher = HivePeer.connect(broker, version, "pub-" + name);
    peers.add(publisher);

    for (int i = 0; i < MESSAGES; i++) {
      publisher.publish(name + "/m", "m" + i, qos);
    }
    List<String> all = IntStream.range(0, MESSAGES).mapToObj(i -> "m" + i).toList();
    await().atMost(Duration.ofSeconds(30)).until(() -> taken.containsAll(all));
    // a message published after all others were taken: once it is taken too, earlier redeliveries are done
    publisher.publish(name + "/m", "last", qos);
    await().atMost(Duration.ofSeconds(10)).until(() -> taken.contains("last"));

    assertTrue(meter(name, "flowsdk.mqtt.bridge.redeliveries") >= 1, "the bridge never gave up, so nothing was proven");
    assertTrue(meter(name, "flowsdk.mqtt.bridge.bus.retries") >= 2);
    if (qos == 2) {
      List<String> expected = new ArrayList<>(all);
      expected.add("last");
      assertEquals(expected.stream().sorted().toList(), taken.stream().sorted().toList(), "QoS 2: every message exactly once");
    } else {
      assertEquals(MESSAGES + 1, taken.stream().collect(Collectors.toSet()).size());
    }
  }

  private double meter(String bridge, String name) {
    return FlowMetrics.registry(vertx).get(name).tag("bridge", bridge).counter().count();
  }
}
