package io.flowsdk.relay;

import io.flowsdk.testing.PahoArrivals;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An independent MQTT 5 client (Eclipse Paho) → our edge → our upstream → each upstream broker in turn:
 * a real Mosquitto and our own {@link MqttBrokerVerticle}. What the client sees must not depend on the
 * relay being there: QoS 1 and 2 exchanges, a resumed session, topic aliases. After every test neither
 * relay side carries a session.
 */
class RelayInteropTest {

  /** The broker behind the upstream. */
  enum Broker { MOSQUITTO, FLOWSDK }

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  private static Vertx brokerVertx;
  private static int flowsdkBrokerPort;

  private Vertx vertx;
  private int edgePort;
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void startOurBroker() throws Exception {
    brokerVertx = Vertx.vertx();
    flowsdkBrokerPort = RelayFixture.deployOurBroker(brokerVertx);
  }

  @AfterAll
  static void stopOurBroker() throws Exception {
    Futures.join(brokerVertx.close());
  }

  private void startRelay(Broker broker) throws Exception {
    vertx = Vertx.vertx();
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx,
      RelayTestOptions.upstream(broker == Broker.MOSQUITTO ? mosquitto.port() : flowsdkBrokerPort));
    edgePort = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort())).actualPort();
  }

  @AfterEach
  void sessionsBackToZero() throws Exception {
    for (MqttAsyncClient c : clients) {
      if (c.isConnected()) {
        c.disconnect().waitForCompletion(5_000);
      }
      c.close(true);
    }
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && RelayFixture.sessions(vertx, "upstream") == 0.0);
      Futures.join(vertx.close());
    }
  }

  /** A Paho client of the edge whose arriving messages go to {@code arrived} as "topic payload qos". */
  private MqttAsyncClient paho(String id, LinkedBlockingQueue<String> arrived) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + edgePort, id, null);
    clients.add(c);
    c.setCallback(new PahoArrivals((topic, message) -> arrived.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8) + " " + message.getQos())));
    return c;
  }

  private static MqttConnectionOptions persistent() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    o.setSessionExpiryInterval(300L);
    return o;
  }

  private static String next(LinkedBlockingQueue<String> arrived) throws InterruptedException {
    String m = arrived.poll(10, TimeUnit.SECONDS);
    assertNotNull(m, "no message arrived within 10 s");
    return m;
  }

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"MOSQUITTO,1", "MOSQUITTO,2", "FLOWSDK,1", "FLOWSDK,2"})
  void givenPahoClientsWhenTheyExchangeMessagesThroughTheRelayThenEachArrivesOnceAtItsQos(Broker broker, int qos)
    throws Exception {
    startRelay(broker);
    LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    MqttAsyncClient sub = paho("interop-sub-" + qos, arrived);
    sub.connect().waitForCompletion(10_000);
    sub.subscribe("interop/q" + qos, qos).waitForCompletion(10_000);
    MqttAsyncClient pub = paho("interop-pub-" + qos, new LinkedBlockingQueue<>());
    pub.connect().waitForCompletion(10_000);
    for (int i = 0; i < 5; i++) {
      pub.publish("interop/q" + qos, ("m" + i).getBytes(StandardCharsets.UTF_8), qos, false).waitForCompletion(10_000);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("interop/q" + qos + " m" + i + " " + qos, next(arrived));
    }
    assertEquals(null, arrived.poll(200, TimeUnit.MILLISECONDS), "a message arrived twice");
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void givenAPersistentPahoSessionWhenItReconnectsThroughTheRelayThenTheQos1MessagePublishedMeanwhileArrives(Broker broker)
    throws Exception {
    startRelay(broker);
    LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    MqttAsyncClient sub = paho("interop-resume-" + broker, arrived);
    sub.connect(persistent()).waitForCompletion(10_000);
    sub.subscribe("interop/resume", 1).waitForCompletion(10_000);
    sub.disconnect().waitForCompletion(10_000);

    MqttAsyncClient pub = paho("interop-resume-pub-" + broker, new LinkedBlockingQueue<>());
    pub.connect().waitForCompletion(10_000);
    pub.publish("interop/resume", "while away".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);

    IMqttToken connected = sub.connect(persistent());
    connected.waitForCompletion(10_000);
    assertTrue(connected.getSessionPresent(), "the broker did not resume the session through the relay");
    assertEquals("interop/resume while away 1", next(arrived));
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void givenAPahoPublisherThatUsesTopicAliasesWhenItPublishesThroughTheRelayThenTheBrokerResolvesEveryAlias(Broker broker)
    throws Exception {
    startRelay(broker);
    LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    MqttAsyncClient sub = paho("interop-alias-sub-" + broker, arrived);
    sub.connect().waitForCompletion(10_000);
    sub.subscribe("interop/alias/+", 1).waitForCompletion(10_000);
    MqttAsyncClient pub = paho("interop-alias-pub-" + broker, new LinkedBlockingQueue<>());
    IMqttToken connected = pub.connect();
    connected.waitForCompletion(10_000);
    // Paho sets an alias on its first PUBLISH to a topic and sends the later ones with the alias and an
    // empty topic, whenever the CONNACK (relayed from the broker) allows aliases.
    Integer aliasMaximum = connected.getResponseProperties().getTopicAliasMaximum();
    assertTrue(aliasMaximum != null && aliasMaximum > 0, "the broker's CONNACK allows no topic alias: " + aliasMaximum);
    for (int i = 0; i < 3; i++) {
      pub.publish("interop/alias/a", ("a" + i).getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);
      pub.publish("interop/alias/b", ("b" + i).getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);
    }
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      got.add(next(arrived));
    }
    assertEquals(List.of("interop/alias/a a0 1", "interop/alias/b b0 1", "interop/alias/a a1 1", "interop/alias/b b1 1",
      "interop/alias/a a2 1", "interop/alias/b b2 1"), got);
  }
}
