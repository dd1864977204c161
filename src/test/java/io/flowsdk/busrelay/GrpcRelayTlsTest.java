package io.flowsdk.busrelay;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.busrelay.GrpcRelayTest.Cluster;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.testing.TestPki;
import io.flowsdk.testing.TestPki.ClientCertificate;
import io.vertx.core.Future;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bus relay reaching a remote gateway over TLS and mutual TLS: certificates from a throw-away CA ({@link TestPki}). */
class GrpcRelayTlsTest {

  private static final String FAILURES = "flowsdk.bus.relay.connect.failures";

  @TempDir
  static Path dir;
  static TestPki pki;
  static ClientCertificate relayIdentity;
  /** A self-signed certificate for another host name: trusted as its own CA, it fails only the server-name check. */
  static final SelfSignedCertificate ELSEWHERE = SelfSignedCertificate.create("elsewhere.example");

  @RegisterExtension
  final GrpcRelayTest.Clusters clusters = new GrpcRelayTest.Clusters();

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = TestPki.create(dir);
    relayIdentity = pki.clientCertificate("relay");
  }

  @AfterAll
  static void deleteCertificates() {
    ELSEWHERE.delete();
  }

  /** A gateway with the CA's server certificate that demands a client certificate from the same CA. */
  private static GrpcGatewayOptions mutualTlsGateway() {
    return new GrpcGatewayOptions().setTls(true).setTlsCertPath(pki.serverCert().toString())
      .setTlsKeyPath(pki.serverKey().toString()).setTlsClientCaPath(pki.caCert().toString()).setClientAuth(ClientAuth.REQUIRED);
  }

  /** A relay to {@code to} over TLS trusting the test CA, presenting the relay's certificate; no jitter, 300 then 600 ms between attempts. */
  private static GrpcRelayOptions tlsRelay(Cluster from, Cluster to) {
    return new GrpcRelayOptions().setName(from.id + "-to-" + to.id).setCluster(from.id).setRemoteCluster(to.id)
      .setHost("127.0.0.1").setPort(to.port).setTls(true).setTlsCaPath(pki.caCert().toString())
      .setTlsCertPath(relayIdentity.cert().toString()).setTlsKeyPath(relayIdentity.key().toString())
      .setReconnect(new BackoffOptions(300, 600, 0));
  }

  private static Future<PublishResult> publish(Cluster c, String topic, String payload) {
    return c.bus.publish(FlowMessage.builder(topic).payload(payload).qos(QoS.AT_LEAST_ONCE).build());
  }

  /**
   * Waits for the first connect failure for {@code reason} of the outbound stream (the only stream), then
   * for {@code more} further ones, and asserts they took at least the backoff: 300 ms, then 600 ms each
   * (no jitter), less a margin for timer granularity.
   */
  private static void assertFailuresBackOff(Cluster c, String reason, int more) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> c.counter(FAILURES, "reason", reason) >= 1);
    long first = System.nanoTime();
    double start = c.counter(FAILURES, "reason", reason);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
      .until(() -> c.counter(FAILURES, "reason", reason) >= start + more);
    long millis = (System.nanoTime() - first) / 1_000_000;
    long least = 300 + 600L * (more - 1) - 100;
    assertTrue(millis >= least, more + " more '" + reason + "' failures after only " + millis + " ms: the relay does not back off");
  }

  @Test
  void givenMutualTls_whenTheRelayTrustsTheCaAndPresentsItsCertificate_thenMessagesCrossBothWays() throws Exception {
    Cluster a = clusters.add("a", "cmd/#");
    Cluster dc = clusters.add("dc", "dc/#").gatewayUp(mutualTlsGateway());
    a.relay(tlsRelay(a, dc)
      .addOutbound(new TopicMapping("dc/site/a/#", "site/a/#"))
      .addInbound(new TopicMapping("dc/cmd/a/#", "cmd/a/#")));
    await().atMost(Duration.ofSeconds(20)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);

    join(publish(a, "site/a/temp", "21"));
    join(publish(dc, "dc/cmd/a/go", "start"));

    await().atMost(Duration.ofSeconds(20)).until(() -> a.seen.size() == 1);
    assertEquals(List.of("dc/site/a/temp"), dc.seen.stream().map(FlowMessage::topic).filter(t -> t.startsWith("dc/site")).toList());
    assertEquals(List.of("start"), a.payloads());
    assertEquals(1.0, a.gauge("flowsdk.bus.relay.connected"));
    assertEquals(0.0, a.counter(FAILURES, "reason", "tls"));
  }

  @Test
  void givenTheRelayTrustsAnotherCa_whenItSends_thenTlsFailuresAreCountedBackingOffAndNothingIsAcknowledged()
    throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster dc = clusters.add("dc", "site/#").gatewayUp(mutualTlsGateway());
    a.relay(tlsRelay(a, dc).setTlsCaPath(ELSEWHERE.certificatePath()).addOutbound(new TopicMapping("site/#", "site/#")));

    Future<PublishResult> waiting = publish(a, "site/x", "m");
    assertFailuresBackOff(a, "tls", 2);

    assertFalse(waiting.isComplete(), "a message the remote never took is not acknowledged");
    assertEquals(0.0, a.gauge("flowsdk.bus.relay.connected"));
    assertEquals(List.of(), dc.payloads());
  }

  @Test
  void givenTheGatewayCertificateIsForAnotherHost_whenTheRelayConnects_thenTheServerNameCheckRefusesIt() throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster dc = clusters.add("dc", "site/#").gatewayUp(new GrpcGatewayOptions().setTls(true)
      .setTlsCertPath(ELSEWHERE.certificatePath()).setTlsKeyPath(ELSEWHERE.privateKeyPath()));
    a.relay(tlsRelay(a, dc).setTlsCaPath(ELSEWHERE.certificatePath()).setTlsCertPath(null).setTlsKeyPath(null)
      .addOutbound(new TopicMapping("site/#", "site/#")));

    Future<PublishResult> waiting = publish(a, "site/x", "m");
    assertFailuresBackOff(a, "tls", 1);

    assertFalse(waiting.isComplete());
    assertEquals(List.of(), dc.payloads());
  }

  @Test
  void givenTheGatewayDemandsAClientCertificate_whenTheRelayHasNone_thenItIsRefusedAndNothingCrosses() throws Exception {
    Cluster a = clusters.add("a", "none/#");
    Cluster dc = clusters.add("dc", "site/#").gatewayUp(mutualTlsGateway());
    a.relay(tlsRelay(a, dc).setTlsCertPath(null).setTlsKeyPath(null).addOutbound(new TopicMapping("site/#", "site/#")));

    Future<PublishResult> waiting = publish(a, "site/x", "m");
    // TLS 1.3: the client finishes its handshake first, then the gateway closes the connection
    assertFailuresBackOff(a, "closed", 2);

    assertFalse(waiting.isComplete());
    assertEquals(0.0, a.gauge("flowsdk.bus.relay.connected"));
    assertEquals(List.of(), dc.payloads());
  }

  @Test
  void givenTheGatewayDemandsAClientCertificate_whenTheRelaySubscribesWithoutOne_thenNothingComesIn() throws Exception {
    Cluster a = clusters.add("a", "cmd/#");
    Cluster dc = clusters.add("dc", "none/#").gatewayUp(mutualTlsGateway());
    a.relay(tlsRelay(a, dc).setTlsCertPath(null).setTlsKeyPath(null).addInbound(new TopicMapping("cmd/#", "cmd/#")));

    assertFailuresBackOff(a, "closed", 2);
    join(publish(dc, "cmd/x", "not for a"));

    assertEquals(0.0, a.gauge("flowsdk.bus.relay.subscribed"));
    assertEquals(List.of(), a.payloads());
  }

  @Test
  void givenTheTlsGatewayIsDown_whenItComesBack_thenTheWaitingMessagesAreDeliveredInOrderAndTheSubscriptionReturns()
    throws Exception {
    Cluster a = clusters.add("a", "cmd/#");
    Cluster dc = clusters.add("dc", "site/#").gatewayUp(mutualTlsGateway());
    a.relay(tlsRelay(a, dc).addOutbound(new TopicMapping("site/#", "site/#")).addInbound(new TopicMapping("cmd/#", "cmd/#")));
    await().atMost(Duration.ofSeconds(20)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);
    join(publish(a, "site/x", "before"));

    dc.gatewayDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> a.gauge("flowsdk.bus.relay.connected") == 0.0
      && a.gauge("flowsdk.bus.relay.subscribed") == 0.0);
    List<Future<PublishResult>> whileDown = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      whileDown.add(publish(a, "site/x", "m" + i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> a.counter(FAILURES, "reason", "unreachable") >= 1);
    assertTrue(whileDown.stream().noneMatch(Future::isComplete), "nothing is acknowledged while the gateway is down");

    dc.gatewayUp(mutualTlsGateway());
    for (Future<PublishResult> f : whileDown) {
      join(f);
    }
    assertEquals(List.of("before", "m0", "m1", "m2", "m3", "m4"), dc.payloads());
    await().atMost(Duration.ofSeconds(20)).until(() -> a.gauge("flowsdk.bus.relay.subscribed") == 1.0);
    join(publish(dc, "cmd/x", "after"));
    await().atMost(Duration.ofSeconds(20)).until(() -> a.payloads().equals(List.of("after")));
  }
}
