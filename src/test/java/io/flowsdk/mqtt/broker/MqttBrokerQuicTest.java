package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttTransport;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.QuicException;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.testing.TestPki;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClosedChannelException;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client over QUIC against our broker's QUIC listener, beside a TCP client on the same broker. */
class MqttBrokerQuicTest {

  @TempDir
  static Path dir;
  static TestPki pki;
  static BrokerPeers peers;
  static int quicPort;
  static int mutualPort;
  static final SelfSignedCertificate CLIENT = SelfSignedCertificate.create("quic-client");
  static final SelfSignedCertificate STRANGER = SelfSignedCertificate.create("stranger");

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    peers = BrokerPeers.start(new MqttBrokerOptions().setListeners(List.of(
      new MqttListenerOptions().setPort(0),
      new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC).setPort(0)
        .setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString()),
      new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC).setPort(0)
        .setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString())
        .setTlsClientCaPath(CLIENT.certificatePath()).setClientAuth(ClientAuth.REQUIRED))));
    quicPort = peers.broker.ports().get(1);
    mutualPort = peers.broker.ports().get(2);
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static MqttClientOptions quic(String clientId) {
    return new MqttClientOptions().setHost("127.0.0.1").setPort(quicPort).setTransport(MqttTransport.QUIC)
      .setCaCertPath(pki.caCert().toString()).setClientId(clientId).setReconnect(false);
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenAQuicClientAndATcpClient_whenEachPublishesToTheOtherAtEveryQos_thenEverythingArrivesInOrder(MqttVersion version)
    throws Exception {
    List<String> quicInbox = new CopyOnWriteArrayList<>();
    List<String> tcpInbox = new CopyOnWriteArrayList<>();
    MqttClient quic = MqttClient.create(peers.vertx, quic("quic-" + version).setVersion(version));
    MqttClient tcp = MqttClient.create(peers.vertx, new MqttClientOptions().setHost("127.0.0.1").setPort(peers.port)
      .setVersion(version).setClientId("tcp-" + version));
    quic.messageHandler(m -> collect(quicInbox, m));
    tcp.messageHandler(m -> collect(tcpInbox, m));
    join(quic.connect());
    join(tcp.connect());
    join(quic.subscribe(SubscribeRequest.of("quic/down/" + version, QoS.EXACTLY_ONCE)));
    join(tcp.subscribe(SubscribeRequest.of("quic/up/" + version, QoS.EXACTLY_ONCE)));

    for (QoS qos : QoS.values()) {
      join(quic.publish(PublishRequest.of("quic/up/" + version, Buffer.buffer("up" + qos.value()), qos)));
      join(tcp.publish(PublishRequest.of("quic/down/" + version, Buffer.buffer("down" + qos.value()), qos)));
    }

    await().until(() -> quicInbox.size() == 3 && tcpInbox.size() == 3);
    assertEquals(List.of("down0", "down1", "down2"), quicInbox);
    assertEquals(List.of("up0", "up1", "up2"), tcpInbox);
    join(quic.disconnect());
    join(tcp.disconnect());
  }

  @Test
  void givenACertificateFromAnUnknownCa_whenAQuicClientConnects_thenItFailsWithAHandshakeError() {
    MqttClient client = MqttClient.create(peers.vertx, quic("untrusted").setCaCertPath(null));

    QuicException e = assertInstanceOf(QuicException.class, failure(client.connect()));

    assertEquals(QuicException.Failure.HANDSHAKE, e.failure());
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
    assertTrue(e.getMessage().startsWith("the TLS handshake with quic://127.0.0.1:" + quicPort + " failed"), e.getMessage());
  }

  @Test
  void givenAServerCertificateForAnotherName_whenAQuicClientConnectsWithVerifyHost_thenItFailsNamingTheMismatch() {
    MqttClient client = MqttClient.create(peers.vertx, quic("misnamed").setQuicServerName("broker.example"));

    QuicException e = assertInstanceOf(QuicException.class, failure(client.connect()));

    assertEquals(QuicException.Failure.HANDSHAKE, e.failure());
    assertTrue(e.getMessage().contains("the server certificate is not for 'broker.example'"), e.getMessage());
  }

  @Test
  void givenAQuicClientOfferingAnotherAlpn_whenItConnects_thenTheBrokerRefusesTheHandshakeAndCountsIt() throws Exception {
    double before = handshakeFailures();
    try (RawQuic raw = new RawQuic()) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> raw.connect(quicPort, "h3"));
      QuicConnectionCloseEvent close = assertInstanceOf(QuicClosedChannelException.class, e.getCause()).event();
      assertEquals(0x100 + 120, close.error(), "CONNECTION_CLOSE with TLS alert 120, no_application_protocol: " + close);
    }
    await().until(() -> handshakeFailures() == before + 1);
  }

  @Test
  void givenAServerThatSpeaksOnlyH3_whenOurClientConnects_thenItFailsWithAnAlpnError() throws Exception {
    try (RawQuic raw = new RawQuic()) {
      int port = raw.server("h3", pki.serverCert().toFile(), pki.serverKey().toFile());
      MqttClient client = MqttClient.create(peers.vertx, quic("alpn").setPort(port));

      QuicException e = assertInstanceOf(QuicException.class, failure(client.connect()));

      assertEquals(QuicException.Failure.ALPN, e.failure());
      assertEquals(FlowError.REFUSED, e.error());
      assertTrue(e.getMessage().startsWith("quic://127.0.0.1:" + port + " does not speak MQTT over QUIC"), e.getMessage());
    }
  }

  @Test
  void givenAConnectedQuicClient_whenAnotherQuicConnectionSendsAMalformedPacket_thenOnlyThatConnectionCloses() throws Exception {
    List<String> inbox = new CopyOnWriteArrayList<>();
    MqttClient good = MqttClient.create(peers.vertx, quic("good"));
    good.messageHandler(m -> collect(inbox, m));
    join(good.connect());
    join(good.subscribe(SubscribeRequest.of("malformed/after", QoS.AT_LEAST_ONCE)));
    try (RawQuic raw = new RawQuic()) {
      QuicChannel bad = raw.connect(quicPort, "mqtt");
      // a CONNECT whose protocol name is "MQTX": the decoder refuses it
      RawQuic.send(bad, new byte[] {0x10, 0x0e, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 'x'});
      assertTrue(bad.closeFuture().await(10, TimeUnit.SECONDS), "the broker closes the malformed connection");
    }
    join(good.publish(PublishRequest.of("malformed/after", Buffer.buffer("still here"), QoS.AT_LEAST_ONCE)));
    await().until(() -> inbox.size() == 1);
    assertEquals(List.of("still here"), inbox);
    assertTrue(good.isConnected());
    join(good.disconnect());
  }

  @Test
  void givenAListenerThatRequiresClientCertificates_whenAClientConnectsWithATrustedOne_thenItPublishes() throws Exception {
    List<String> inbox = new CopyOnWriteArrayList<>();
    MqttClient client = MqttClient.create(peers.vertx, quic("mutual").setPort(mutualPort)
      .setCertPath(CLIENT.certificatePath()).setKeyPath(CLIENT.privateKeyPath()));
    client.messageHandler(m -> collect(inbox, m));
    join(client.connect());
    join(client.subscribe(SubscribeRequest.of("mutual/echo", QoS.AT_LEAST_ONCE)));

    join(client.publish(PublishRequest.of("mutual/echo", Buffer.buffer("with a certificate"), QoS.AT_LEAST_ONCE)));

    await().until(() -> inbox.size() == 1);
    assertEquals(List.of("with a certificate"), inbox);
    join(client.disconnect());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void givenAListenerThatRequiresClientCertificates_whenAClientHasNoneOrAnUntrustedOne_thenTheHandshakeIsRefused(
    boolean stranger) {
    MqttClientOptions options = quic("refused-" + stranger).setPort(mutualPort);
    if (stranger) {
      options.setCertPath(STRANGER.certificatePath()).setKeyPath(STRANGER.privateKeyPath());
    }
    MqttClient client = MqttClient.create(peers.vertx, options);

    // in TLS 1.3 the broker refuses our certificate after our side of the handshake is done: the connect
    // fails as a connection lost before CONNACK, caused by the refusal
    FlowException lost = failure(client.connect());
    QuicException e = quicCause(lost);

    assertEquals(QuicException.Failure.HANDSHAKE, e.failure(), e.getMessage());
    assertTrue(e.getMessage().startsWith("quic://127.0.0.1:" + mutualPort + " refused the TLS handshake with alert "),
      e.getMessage());
    assertTrue(lost.getMessage().contains(e.getMessage()), lost.getMessage());
  }

  private static QuicException quicCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof QuicException) {
        return (QuicException) t;
      }
    }
    throw new AssertionError("no QuicException among the causes of " + failure, failure);
  }

  private static double handshakeFailures() {
    return FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_quic_handshake_failures_total").count();
  }

  private static Future<Void> collect(List<String> inbox, InboundMessage m) {
    inbox.add(m.payload().toString());
    return Future.succeededFuture();
  }
}
