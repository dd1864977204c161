package io.flowsdk.relay;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TestPki;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Edge to upstream over TLS with the gateway's bearer-token scheme: the upstream holds the SHA-256 of the
 * token, the edge sends the token. A wrong token never reaches the broker; the client is told why.
 */
class RelayAuthTest {

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  @TempDir
  static Path dir;
  private static TestPki pki;

  private Vertx vertx;
  private int upstreamPort;

  @BeforeAll
  static void certificates() throws Exception {
    pki = TestPki.create(dir);
  }

  @AfterEach
  void sessionsBackToZero() throws Exception {
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && RelayFixture.sessions(vertx, "upstream") == 0.0);
      Futures.join(vertx.close());
    }
  }

  /** A TLS upstream accepting the token "edge-secret", and an edge that sends {@code token}; the edge's port. */
  private int start(String token) throws Exception {
    vertx = Vertx.vertx();
    upstreamPort = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(mosquitto.port())
      .addToken(new GrpcTokenOptions().setName("edge").setSha256(GrpcTokenOptions.hash("edge-secret")))
      .setTls(true).setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString())).actualPort();
    return RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstreamPort)
      .setUpstreamTls(true).setUpstreamTlsCaPath(pki.caCert().toString()).setUpstreamToken(token)).actualPort();
  }

  private static Mqtt5AsyncClient client(String id, int port) {
    return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildAsync();
  }

  @Test
  void givenTheRightTokenOverTlsWhenClientsExchangeAQos1MessageThenItArrives() throws Exception {
    int port = start("edge-secret");
    Mqtt5AsyncClient sub = client("auth-sub", port);
    sub.connect().get(10, TimeUnit.SECONDS);
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    sub.subscribeWith().topicFilter("auth/t").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send().get(10, TimeUnit.SECONDS);
    Mqtt5AsyncClient pub = client("auth-pub", port);
    pub.connect().get(10, TimeUnit.SECONDS);
    pub.publishWith().topic("auth/t").qos(MqttQos.AT_LEAST_ONCE).payload("over tls".getBytes(StandardCharsets.UTF_8))
      .send().get(10, TimeUnit.SECONDS);
    Mqtt5Publish received = got.poll(10, TimeUnit.SECONDS);
    assertNotNull(received);
    assertEquals("over tls", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
    pub.disconnect().get(5, TimeUnit.SECONDS);
    sub.disconnect().get(5, TimeUnit.SECONDS);
  }

  @Test
  void givenAWrongTokenWhenAClientConnectsThenItGetsServerUnavailableSayingTheTokenIsUnknown() throws Exception {
    int port = start("guessed");
    ExecutionException e = assertThrows(ExecutionException.class,
      () -> client("auth-wrong", port).connect().get(10, TimeUnit.SECONDS));
    Mqtt5ConnAckException refused = assertInstanceOf(Mqtt5ConnAckException.class, e.getCause());
    assertEquals(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, refused.getMqttMessage().getReasonCode());
    assertEquals("the relay upstream 127.0.0.1:" + upstreamPort + " refused the stream: unknown bearer token",
      refused.getMqttMessage().getReasonString().orElseThrow().toString());
    assertEquals(1.0, FlowMetrics.registry(vertx).get(RelayMetrics.REFUSED).tag("side", "upstream").counter().count());
  }
}
