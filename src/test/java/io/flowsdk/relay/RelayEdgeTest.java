package io.flowsdk.relay;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.relay.MosquittoCliClients.output;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordinary MQTT clients (mosquitto_pub / mosquitto_sub, the HiveMQ client) → our edge → our upstream →
 * a real Mosquitto. After every test neither side carries a session.
 */
class RelayEdgeTest {

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  private Vertx vertx;
  private int edgePort;
  private final MosquittoCliClients cli = new MosquittoCliClients();
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  private void startRelay(int brokerPort) throws Exception {
    vertx = Vertx.vertx();
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(brokerPort));
    edgePort = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort())).actualPort();
  }

  /** Zero when no upstream is deployed (its gauge is then not registered). */
  private double upstreamSessions() {
    io.micrometer.core.instrument.Gauge g = FlowMetrics.registry(vertx).find(RelayMetrics.SESSIONS).tag("side", "upstream").gauge();
    return g == null ? 0.0 : g.value();
  }

  @AfterEach
  void sessionsBackToZero() throws Exception {
    for (Mqtt5AsyncClient c : clients) {
      if (c.getState().isConnected()) {
        c.disconnect().get(5, TimeUnit.SECONDS);
      }
    }
    cli.destroyAll();
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && upstreamSessions() == 0.0);
      Futures.join(vertx.close());
    }
  }

  private Mqtt5AsyncClient hive(String id) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(edgePort).buildAsync();
    clients.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    return c;
  }

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
  void givenMosquittoClientsWhenARetainedMessageIsPublishedThroughTheRelayThenASubscriberGetsIt(String version, int qos)
    throws Exception {
    startRelay(mosquitto.port());
    String topic = "relay/cli/" + version + "/" + qos;
    Process pub = cli.toLoopback(edgePort, "mosquitto_pub", "-V", version, "-q", String.valueOf(qos), "-r", "-t", topic, "-m", "kept " + qos);
    assertEquals("", output(pub));
    assertEquals(0, pub.exitValue());
    Process sub = cli.toLoopback(edgePort, "mosquitto_sub", "-V", version, "-q", String.valueOf(qos), "-t", topic, "-C", "1", "-W", "10", "-v");
    assertEquals(topic + " kept " + qos, output(sub));
  }

  @Test
  void givenAHiveMqClientWhenItPublishesOneMegabyteWithPropertiesAtQos1ThenTheSubscriberGetsEveryByteAndProperty()
    throws Exception {
    startRelay(mosquitto.port());
    Mqtt5AsyncClient sub = hive("relay-big-sub");
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    sub.subscribeWith().topicFilter("relay/big").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send().get(10, TimeUnit.SECONDS);
    byte[] payload = new byte[1024 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    Mqtt5AsyncClient pub = hive("relay-big-pub");
    pub.publishWith().topic("relay/big").qos(MqttQos.AT_LEAST_ONCE).payload(payload).contentType("application/octet-stream")
      .userProperties().add("k", "v").applyUserProperties().send().get(10, TimeUnit.SECONDS);
    Mqtt5Publish received = got.poll(15, TimeUnit.SECONDS);
    assertNotNull(received, "the 1 MB message did not arrive");
    assertArrayEquals(payload, received.getPayloadAsBytes());
    assertEquals("application/octet-stream", received.getContentType().orElseThrow().toString());
    assertEquals("k", received.getUserProperties().asList().get(0).getName().toString());
  }

  @Test
  void givenAClientWithAWillWhenItVanishesThenMosquittoPublishesTheWillThroughTheRelay() throws Exception {
    startRelay(mosquitto.port());
    Mqtt5AsyncClient watcher = hive("relay-will-watcher");
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    watcher.subscribeWith().topicFilter("relay/will").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send()
      .get(10, TimeUnit.SECONDS);
    Process doomed = cli.toLoopback(edgePort, "mosquitto_sub", "-V", "mqttv311", "-i", "relay-doomed", "-t", "relay/none",
      "--will-topic", "relay/will", "--will-payload", "gone", "--will-qos", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 2.0);
    doomed.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    Mqtt5Publish will = got.poll(15, TimeUnit.SECONDS);
    assertNotNull(will, "the will did not arrive");
    assertEquals("gone", new String(will.getPayloadAsBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void givenAConnectedMqtt5ClientWhenMosquittoIsKilledThenTheClientGetsADisconnectWithTheReason() throws Exception {
    MosquittoBroker own = MosquittoBroker.create().start();
    try {
      startRelay(own.port());
      CompletableFuture<Throwable> cause = new CompletableFuture<>();
      Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("relay-victim").serverHost("127.0.0.1").serverPort(edgePort)
        .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildAsync();
      c.connect().get(10, TimeUnit.SECONDS);
      own.kill();
      Throwable t = cause.get(15, TimeUnit.SECONDS);
      Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, t);
      assertEquals(Mqtt5DisconnectReasonCode.UNSPECIFIED_ERROR, e.getMqttMessage().getReasonCode());
      assertEquals("the broker closed the connection", e.getMqttMessage().getReasonString().orElseThrow().toString());
    } finally {
      own.stop();
    }
  }

  @Test
  void givenAClientThatNeverReadsWhenItsTopicIsFloodedThenItsSessionPausesAndAnotherSessionStillFlows() throws Exception {
    startRelay(mosquitto.port());
    try (java.net.Socket slow = new java.net.Socket("127.0.0.1", edgePort)) {
      // CONNECT (3.1.1, client id "slow", keep-alive 0) and SUBSCRIBE slow/# at QoS 0; then it never reads
      slow.getOutputStream().write(new byte[] {0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 4, 's', 'l', 'o', 'w',
        (byte) 0x82, 11, 0, 1, 0, 6, 's', 'l', 'o', 'w', '/', '#', 0});
      slow.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 1.0);
      Mqtt5AsyncClient flooder = hive("relay-flooder");
      byte[] chunk = new byte[64 * 1024];
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        sent.add(flooder.publishWith().topic("slow/x").qos(MqttQos.AT_MOST_ONCE).payload(chunk).send());
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(15)).until(() ->
        FlowMetrics.registry(vertx).get(RelayMetrics.PAUSES).tag("side", "edge").counter().count() > 0);

      Mqtt5AsyncClient sub = hive("relay-fast-sub");
      LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
      sub.subscribeWith().topicFilter("fast/t").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 10; i++) {
        flooder.publishWith().topic("fast/t").qos(MqttQos.AT_LEAST_ONCE).payload(("m" + i).getBytes(StandardCharsets.UTF_8))
          .send().get(10, TimeUnit.SECONDS);
        Mqtt5Publish p = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(p, "message " + i + " of the other session was held up by the slow client");
        assertEquals("m" + i, new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void givenASecondConnectionWithTheSameClientIdWhenItConnectsThenTheBrokerTakesOverAndTheFirstClientIsToldItsConnectionClosed() throws Exception {
    startRelay(mosquitto.port());
    CompletableFuture<Throwable> firstCause = new CompletableFuture<>();
    Mqtt5AsyncClient first = Mqtt5Client.builder().identifier("relay-twin").serverHost("127.0.0.1").serverPort(edgePort)
      .addDisconnectedListener(ctx -> firstCause.complete(ctx.getCause())).buildAsync();
    first.connect().get(10, TimeUnit.SECONDS);
    hive("relay-twin");
    Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, firstCause.get(15, TimeUnit.SECONDS));
    // Mosquitto 2.0.11 closes the old connection without a DISCONNECT; the relay tells the client it was closed
    assertEquals(Mqtt5DisconnectReasonCode.UNSPECIFIED_ERROR, e.getMqttMessage().getReasonCode());
    assertEquals("the broker closed the connection", e.getMqttMessage().getReasonString().orElseThrow().toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 1.0 && RelayFixture.sessions(vertx, "edge") == 1.0);
  }

  @Test
  void givenAPersistentSessionWhenTheClientReconnectsThroughTheRelayThenTheQos1MessageQueuedMeanwhileArrives()
    throws Exception {
    startRelay(mosquitto.port());
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient resumer = Mqtt5Client.builder().identifier("relay-resume").serverHost("127.0.0.1").serverPort(edgePort)
      .buildAsync();
    clients.add(resumer);
    resumer.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, got::add);
    resumer.connectWith().cleanStart(true).sessionExpiryInterval(300).send().get(10, TimeUnit.SECONDS);
    resumer.subscribeWith().topicFilter("relay/resume").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    resumer.disconnect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 0.0);

    hive("relay-resume-pub").publishWith().topic("relay/resume").qos(MqttQos.AT_LEAST_ONCE)
      .payload("while away".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
    assertTrue(resumer.connectWith().cleanStart(false).sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS)
      .isSessionPresent(), "the broker kept the session");
    Mqtt5Publish p = got.poll(15, TimeUnit.SECONDS);
    assertNotNull(p, "the message queued while the client was away did not arrive");
    assertEquals("while away", new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void givenNoUpstreamWhenAClientConnectsThenItGetsConnackServerUnavailable() throws Exception {
    vertx = Vertx.vertx();
    edgePort = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(io.flowsdk.testing.FreePorts.loopback())).actualPort();
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("relay-orphan").serverHost("127.0.0.1").serverPort(edgePort)
      .buildAsync();
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
      java.util.concurrent.ExecutionException.class, () -> c.connect().get(15, TimeUnit.SECONDS));
    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException refused =
      assertInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, e.getCause());
    assertEquals(com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE,
      refused.getMqttMessage().getReasonCode());
    assertTrue(refused.getMqttMessage().getReasonString().orElseThrow().toString()
      .startsWith("cannot open a stream to a relay upstream: 127.0.0.1:"), refused.getMqttMessage().toString());
  }

  /** A 3.1.1 packet: {@code type} (with flags) and the body, behind a one-byte remaining length. */
  private static byte[] packet(int type, byte[] body) {
    byte[] packet = new byte[2 + body.length];
    packet[0] = (byte) type;
    packet[1] = (byte) body.length;
    System.arraycopy(body, 0, packet, 2, body.length);
    return packet;
  }

  private static byte[] string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    byte[] field = new byte[2 + utf8.length];
    field[1] = (byte) utf8.length;
    System.arraycopy(utf8, 0, field, 2, utf8.length);
    return field;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private double bytes(String meter, String side) {
    return FlowMetrics.registry(vertx).get(meter).tag("side", side).counter().count();
  }

  @Test
  void givenAClientWritingKnownPacketsWhenItDisconnectsThenEachSideCountsTheBytesOfEveryPacketItCarried() throws Exception {
    startRelay(mosquitto.port());
    assertEquals(0.0, bytes(RelayMetrics.RECEIVED_BYTES, "edge"), "registered at 0 before the first session");
    byte[] connect = packet(0x10, concat(string("MQTT"), new byte[] {4, 2, 0, 60}, string("relay-bytes")));
    byte[] publish = packet(0x30, concat(string("relay/bytes"), "twelve bytes".getBytes(StandardCharsets.UTF_8)));
    byte[] disconnect = {(byte) 0xE0, 0};
    int connack = 4;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edgePort)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(connect);
      assertArrayEquals(new byte[] {0x20, 2, 0, 0}, socket.getInputStream().readNBytes(connack));
      socket.getOutputStream().write(concat(publish, disconnect));
      assertEquals(-1, socket.getInputStream().read(), "the edge closes the connection after the DISCONNECT");
    }
    double carried = connect.length + publish.length + disconnect.length;
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertEquals(carried, bytes(RelayMetrics.RECEIVED_BYTES, "edge"), "from the client");
      assertEquals(connack, bytes(RelayMetrics.SENT_BYTES, "edge"), "to the client");
      assertEquals(carried, bytes(RelayMetrics.SENT_BYTES, "upstream"), "to the broker, the same packets re-encoded");
      assertEquals(connack, bytes(RelayMetrics.RECEIVED_BYTES, "upstream"), "from the broker");
    });
  }
}
