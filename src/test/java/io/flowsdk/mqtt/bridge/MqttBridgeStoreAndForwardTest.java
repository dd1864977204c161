package io.flowsdk.mqtt.bridge;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.OfflineDropPolicy;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TestPki;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
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

/**
 * The bridge as a bus relay to a broker that fails: bus messages wait in the client's bounded offline
 * buffer while Mosquitto is down (killed with SIGKILL) and are drained in order when it returns; a full
 * buffer fails the dropped publishes with {@code OVERLOADED}; a broker refusing the credentials is a
 * clear, counted error and the reconnects keep their backoff.
 */
class MqttBridgeStoreAndForwardTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<MosquittoBroker> brokers = new ArrayList<>();
  private final List<MqttClient> peers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttClient p : peers) {
      join(p.disconnect());
    }
    join(vertx.close());
    for (MosquittoBroker b : brokers) {
      b.afterAll(null);
    }
  }

  private MosquittoBroker broker(MosquittoBroker broker) {
    brokers.add(broker);
    return broker;
  }

  private static MqttClientOptions persistent(MosquittoBroker broker, String clientId) {
    return new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setClientId(clientId)
      .setCleanStart(false).setSessionExpiryIntervalSeconds(3600).setTimeoutPreset(TimeoutPreset.LOCAL)
      .setAckTimeoutMillis(20_000).setReconnectInitialDelayMillis(50).setReconnectMaxDelayMillis(300);
  }

  /** A subscriber at the broker with a persistent session, so that it misses nothing across the crash. */
  private List<String> subscriber(MosquittoBroker broker, String filter) throws Exception {
    List<String> inbox = new CopyOnWriteArrayList<>();
    MqttClient sub = MqttClient.create(vertx, persistent(broker, "sf-sub"));
    peers.add(sub);
    sub.messageHandler((InboundMessage m) -> {
      inbox.add(m.payload().toString());
      return Future.succeededFuture();
    });
    join(sub.connect());
    join(sub.subscribe(SubscribeRequest.of(filter, QoS.AT_LEAST_ONCE)));
    return inbox;
  }

  private FlowBus deployBridge(MqttClientOptions client) throws Exception {
    FlowBus bus = join(FlowBus.create(vertx));
    MqttBridgeOptions options = new MqttBridgeOptions().setName("sf").setClient(client)
      .addOutbound(new TopicMapping("remote/#", "local/#"));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    return bus;
  }

  private Future<PublishResult> publish(FlowBus bus, String payload) {
    return bus.publish(FlowMessage.builder("local/t").payload(payload).qos(QoS.AT_LEAST_ONCE).build());
  }

  private double gauge(String name) {
    Gauge g = FlowMetrics.registry(vertx).find(name).tag("bridge", "sf").gauge();
    return g == null ? -1 : g.value();
  }

  private double counter(String name, String tag, String value) {
    Counter c = FlowMetrics.registry(vertx).find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void givenMosquittoKilledWhilePublishingAtQos1_whenItRestarts_thenTheBufferDrainsInOrderAndNoAcknowledgedMessageIsLost()
    throws Exception {
    MosquittoBroker broker = broker(MosquittoBroker.create().persistence()).start();
    List<String> inbox = subscriber(broker, "remote/#");
    FlowBus bus = deployBridge(persistent(broker, "sf-bridge"));

    List<Future<PublishResult>> whileUp = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      whileUp.add(publish(bus, "m" + i));
    }
    broker.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge("flowsdk.mqtt.bridge.connected") == 0.0);
    List<Future<PublishResult>> whileDown = new ArrayList<>();
    for (int i = 20; i < 50; i++) {
      whileDown.add(publish(bus, "m" + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge("flowsdk.mqtt.bridge.outbound.pending") >= 30);
    assertTrue(whileDown.stream().noneMatch(Future::isComplete), "no publish is acknowledged while the broker is down");

    broker.start();
    for (Future<PublishResult> f : whileDown) {
      join(f);
    }
    List<String> expected = IntStream.range(20, 50).mapToObj(i -> "m" + i).toList();
    await().atMost(Duration.ofSeconds(15)).until(() -> inbox.containsAll(expected));
    assertEquals(expected, inbox.stream().filter(expected::contains).distinct().toList(), "drained in publish order");
    for (Future<PublishResult> f : whileUp) {
      await().atMost(Duration.ofSeconds(15)).until(f::isComplete);
      if (f.failed()) {
        // a message inflight at the crash whose session Mosquitto did not keep: the publisher is told
        assertEquals(FlowError.DISCONNECTED, ((FlowException) f.cause()).error());
      }
    }
    assertEquals(0.0, gauge("flowsdk.mqtt.bridge.outbound.pending"));
  }

  @Test
  void givenTheBufferIsFullWhileTheBrokerIsDown_whenMorePublishesArrive_thenTheOldestFailOverloadedAndAreCounted()
    throws Exception {
    MosquittoBroker broker = broker(MosquittoBroker.create().persistence()).start();
    List<String> inbox = subscriber(broker, "remote/#");
    FlowBus bus = deployBridge(persistent(broker, "sf-full").setOfflineBufferMaxMessages(5)
      .setOfflineBufferDropPolicy(OfflineDropPolicy.DROP_OLDEST));
    broker.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge("flowsdk.mqtt.bridge.connected") == 0.0);

    List<Future<PublishResult>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(publish(bus, "m" + i));
    }
    for (int i = 0; i < 3; i++) {
      FlowException e = failure(sent.get(i));
      assertEquals(FlowError.OVERLOADED, e.error());
      assertTrue(e.getMessage().contains("offline buffer full"), e.getMessage());
    }
    assertEquals(3.0, counter("flowsdk_mqtt_client_offline_dropped", "client", "sf-full"));
    assertEquals(3.0, FlowMetrics.registry(vertx).get("flowsdk.mqtt.bridge.failed").tag("bridge", "sf")
      .tag("direction", "outbound").tag("error", "OVERLOADED").counter().count());

    broker.start();
    for (int i = 3; i < 8; i++) {
      join(sent.get(i));
    }
    List<String> kept = List.of("m3", "m4", "m5", "m6", "m7");
    await().atMost(Duration.ofSeconds(15)).until(() -> inbox.containsAll(kept));
    assertEquals(kept, inbox.stream().distinct().toList());
  }

  @Test
  void givenTheBrokerRefusesTheCredentials_whenTheBridgeConnects_thenDeploymentFailsWithTheReasonAndItIsCounted()
    throws Exception {
    MosquittoBroker broker = broker(MosquittoBroker.create().noAnonymous());
    Path passwords = broker.dir().resolve("passwords");
    TestPki.run("mosquitto_passwd", "-b", "-c", passwords.toString(), "relay", "right");
    broker.config("password_file " + passwords).start();

    MqttBridgeOptions options = new MqttBridgeOptions().setName("sf")
      .setClient(persistent(broker, "sf-auth").setUsername("relay").setPassword("wrong"))
      .addOutbound(new TopicMapping("remote/#", "local/#"));
    FlowException e = failure(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));

    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
    assertTrue(e.getMessage().contains("refused the connection"), e.getMessage());
    assertEquals(1.0, counter("flowsdk.mqtt.bridge.connect.refusals", "reason", "NOT_AUTHORIZED"));
  }

  @Test
  void givenTheBrokerStartsRefusingTheCredentials_whenTheBridgeReconnects_thenEachRefusalIsCountedAndTheAttemptsBackOff()
    throws Exception {
    MosquittoBroker broker = broker(MosquittoBroker.create().noAnonymous());
    Path passwords = broker.dir().resolve("passwords");
    TestPki.run("mosquitto_passwd", "-b", "-c", passwords.toString(), "relay", "right");
    broker.config("password_file " + passwords).start();
    deployBridge(persistent(broker, "sf-reauth").setUsername("relay").setPassword("right")
      .setReconnectInitialDelayMillis(300).setReconnectMaxDelayMillis(10_000).setReconnectJitter(0));

    broker.kill();
    TestPki.run("mosquitto_passwd", "-b", "-c", passwords.toString(), "relay", "changed");
    broker.start();

    String refusals = "flowsdk.mqtt.bridge.connect.refusals";
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
      .until(() -> counter(refusals, "reason", "NOT_AUTHORIZED") >= 1);
    long first = System.nanoTime();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
      .until(() -> counter(refusals, "reason", "NOT_AUTHORIZED") >= 3);
    long millis = (System.nanoTime() - first) / 1_000_000;
    // the attempts after the first refusal wait at least 600 ms and 1,200 ms (300 ms doubling, no jitter)
    assertTrue(millis >= 1_750, "two more refusals came after only " + millis + " ms: the reconnects do not back off");
    assertEquals(0.0, gauge("flowsdk.mqtt.bridge.connected"));
  }
}
