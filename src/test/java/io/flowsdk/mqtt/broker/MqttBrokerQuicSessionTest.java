package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttTransport;
import io.flowsdk.mqtt.client.MqttWill;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.QuicException;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.testing.TestPki;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions over QUIC: resume on a new UDP socket, migration under a live connection, will, retained, 0-RTT. */
class MqttBrokerQuicSessionTest {

  @TempDir
  static Path dir;
  static TestPki pki;
  static BrokerPeers peers;
  static int quicPort;
  static int earlyDataPort;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    MqttListenerOptions quic = new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC).setPort(0)
      .setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString());
    peers = BrokerPeers.start(new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(0), quic,
      new MqttListenerOptions(quic).setQuicEarlyData(true))));
    quicPort = peers.broker.ports().get(1);
    earlyDataPort = peers.broker.ports().get(2);
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static MqttClientOptions quic(String clientId, int port) {
    return new MqttClientOptions().setHost("127.0.0.1").setPort(port).setTransport(MqttTransport.QUIC)
      .setCaCertPath(pki.caCert().toString()).setClientId(clientId).setReconnect(false);
  }

  private static MqttClient tcpSubscriber(String clientId, String filter, List<String> inbox) throws Exception {
    MqttClient tcp = MqttClient.create(peers.vertx, new MqttClientOptions().setHost("127.0.0.1").setPort(peers.port)
      .setClientId(clientId));
    tcp.messageHandler(m -> collect(inbox, m));
    join(tcp.connect());
    join(tcp.subscribe(SubscribeRequest.of(filter, QoS.AT_LEAST_ONCE)));
    return tcp;
  }

  @Test
  void givenAQuicSessionWithExpiry_whenTheClientComesBackOnANewUdpSocket_thenTheSessionAndItsQueuedMessageResume()
    throws Exception {
    MqttClientOptions options = quic("resumer", quicPort).setSessionExpiryIntervalSeconds(60).setCleanStart(false);
    MqttClient first = MqttClient.create(peers.vertx, options);
    first.messageHandler(m -> Future.succeededFuture());
    join(first.connect());
    join(first.subscribe(SubscribeRequest.of("resume/q1", QoS.AT_LEAST_ONCE)));
    join(first.disconnect());
    MqttClient tcp = MqttClient.create(peers.vertx, new MqttClientOptions().setHost("127.0.0.1").setPort(peers.port)
      .setClientId("resume-publisher"));
    join(tcp.connect());
    join(tcp.publish(PublishRequest.of("resume/q1", Buffer.buffer("while away"), QoS.AT_LEAST_ONCE)));

    List<String> inbox = new CopyOnWriteArrayList<>();
    MqttClient second = MqttClient.create(peers.vertx, options);
    second.messageHandler(m -> collect(inbox, m));
    ConnAckInfo ack = join(second.connect());

    assertTrue(ack.sessionPresent());
    await().until(() -> inbox.size() == 1);
    assertEquals(List.of("while away"), inbox);
    join(second.disconnect());
    join(tcp.disconnect());
  }

  @Test
  void givenALiveQuicConnection_whenTheClientsAddressChanges_thenTheConnectionGoesOnWithoutAReconnect() throws Exception {
    List<String> tcpInbox = new CopyOnWriteArrayList<>();
    List<String> quicInbox = new CopyOnWriteArrayList<>();
    List<DisconnectInfo> disconnects = new CopyOnWriteArrayList<>();
    MqttClient tcp = tcpSubscriber("migration-peer", "migration/up", tcpInbox);
    try (UdpRelay nat = new UdpRelay(quicPort)) {
      MqttClient mobile = MqttClient.create(peers.vertx, quic("mobile", nat.port()));
      mobile.messageHandler(m -> collect(quicInbox, m));
      mobile.disconnectedHandler(disconnects::add);
      join(mobile.connect());
      join(mobile.subscribe(SubscribeRequest.of("migration/down", QoS.AT_LEAST_ONCE)));
      join(mobile.publish(PublishRequest.of("migration/up", Buffer.buffer("before"), QoS.AT_LEAST_ONCE)));
      int before = nat.sourcePort();

      nat.rebind();
      join(mobile.publish(PublishRequest.of("migration/up", Buffer.buffer("after"), QoS.AT_LEAST_ONCE)));
      join(tcp.publish(PublishRequest.of("migration/down", Buffer.buffer("to the new address"), QoS.AT_LEAST_ONCE)));

      assertNotEquals(before, nat.sourcePort());
      await().until(() -> tcpInbox.size() == 2 && quicInbox.size() == 1);
      assertEquals(List.of("before", "after"), tcpInbox);
      assertEquals(List.of("to the new address"), quicInbox);
      assertEquals(List.of(), disconnects);
      assertTrue(mobile.isConnected());
      join(mobile.disconnect());
    }
    join(tcp.disconnect());
  }

  @Test
  void givenAQuietQuicClientWithAWill_whenTheIdleTimeoutEndsItsConnection_thenItSeesIdleTimeoutAndTheWillIsPublished()
    throws Exception {
    List<String> wills = new CopyOnWriteArrayList<>();
    MqttClient tcp = tcpSubscriber("will-watcher", "quic/will", wills);
    List<DisconnectInfo> disconnects = new CopyOnWriteArrayList<>();
    MqttClient quiet = MqttClient.create(peers.vertx, quic("quiet", quicPort).setKeepAliveSeconds(0)
      .setQuicIdleTimeoutMillis(500).setWill(new MqttWill().setTopic("quic/will").setPayload("gone").setQos(1)));
    quiet.disconnectedHandler(disconnects::add);
    join(quiet.connect());

    await().until(() -> disconnects.size() == 1);
    QuicException idle = assertInstanceOf(QuicException.class, disconnects.get(0).cause().getCause());
    assertEquals(QuicException.Failure.IDLE_TIMEOUT, idle.failure());
    assertFalse(disconnects.get(0).byUser());
    await().until(() -> wills.size() == 1);
    assertEquals(List.of("gone"), wills);
    join(tcp.disconnect());
  }

  @Test
  void givenARetainedMessagePublishedOverQuic_whenATcpClientSubscribesLater_thenItGetsTheRetainedMessage() throws Exception {
    MqttClient publisher = MqttClient.create(peers.vertx, quic("retainer", quicPort));
    join(publisher.connect());
    join(publisher.publish(PublishRequest.builder("quic/retained").payload("kept").qos(QoS.AT_LEAST_ONCE).retain(true)
      .build()));
    join(publisher.disconnect());

    List<String> inbox = new CopyOnWriteArrayList<>();
    MqttClient late = tcpSubscriber("late", "quic/retained", inbox);

    await().until(() -> inbox.size() == 1);
    assertEquals(List.of("kept"), inbox);
    join(late.disconnect());
  }

  /** With a listener that allows early data the reconnect's CONNECT goes out in it; with one that does not, it waits. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void givenAZeroRttClient_whenItReconnectsAfterItsConnectionIsLost_thenItsConnectGoesOutInEarlyDataIfTheListenerAllowsIt(
    boolean listenerAllows) throws Exception {
    String id = "early-" + listenerAllows;
    List<String> tcpInbox = new CopyOnWriteArrayList<>();
    MqttClient tcp = tcpSubscriber(id + "-peer", id + "/up", tcpInbox);
    List<ConnAckInfo> connects = new CopyOnWriteArrayList<>();
    // no keep-alive and a short idle timeout: the connection ends on its own and the client reconnects
    MqttClient client = MqttClient.create(peers.vertx, quic(id, listenerAllows ? earlyDataPort : quicPort)
      .setQuicZeroRtt(true).setReconnect(true).setReconnectInitialDelayMillis(1).setReconnectMaxDelayMillis(1)
      .setKeepAliveSeconds(0).setQuicIdleTimeoutMillis(1000));
    client.connectedHandler(connects::add);
    join(client.connect());
    join(client.publish(PublishRequest.of(id + "/up", Buffer.buffer("first"), QoS.AT_LEAST_ONCE)));
    assertEquals(0.0, earlyDataConnects(id), "the first connection has no ticket to resume");

    await().until(() -> connects.size() == 2);
    join(client.publish(PublishRequest.of(id + "/up", Buffer.buffer("after reconnect"), QoS.AT_LEAST_ONCE)));

    assertEquals(listenerAllows ? 1.0 : 0.0, earlyDataConnects(id));
    await().until(() -> tcpInbox.size() == 2);
    assertEquals(List.of("first", "after reconnect"), tcpInbox);
    join(client.disconnect());
    join(tcp.disconnect());
  }

  private static double earlyDataConnects(String clientId) {
    Counter counter = FlowMetrics.registry(peers.vertx).find("flowsdk_mqtt_client_quic_early_data_connects")
      .tag("client", clientId).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Future<Void> collect(List<String> inbox, InboundMessage m) {
    inbox.add(m.payload().toString());
    return Future.succeededFuture();
  }
}
