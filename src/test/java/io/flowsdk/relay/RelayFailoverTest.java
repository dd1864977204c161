package io.flowsdk.relay;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TcpProxy;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edge with two upstreams in failover order, both relaying to one real Mosquitto: when the first dies,
 * its sessions are told (MQTT 5: DISCONNECT 0x9C Use another server; 3.1.1: the connection closes), new
 * sessions go to the second, and the first is tried again after its backoff once it is back.
 */
class RelayFailoverTest {

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  private Vertx vertx;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void sessionsBackToZero() throws Exception {
    for (Mqtt5AsyncClient c : clients) {
      if (c.getState().isConnected()) {
        // the relay may close it between the check and the DISCONNECT, as these tests make it do
        c.disconnect().exceptionally(e -> {
          assertInstanceOf(MqttClientStateException.class, e instanceof CompletionException ? e.getCause() : e);
          return null;
        }).get(5, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> live("edge", "relay-edge") == 0.0
        && live("upstream", "u1") == 0.0 && live("upstream", "u2") == 0.0);
      Futures.join(vertx.close());
    }
  }

  /** Zero for a relay whose gauge is not registered. */
  private double live(String side, String relay) {
    Gauge g = FlowMetrics.registry(vertx).find(RelayMetrics.SESSIONS).tag("side", side).tag("relay", relay).gauge();
    return g == null ? 0.0 : g.value();
  }

  private double upstreamFailures() {
    return FlowMetrics.registry(vertx).get(RelayMetrics.UPSTREAM_FAILURES).counter().count();
  }

  private String upstream(String name, int port) throws Exception {
    return Futures.join(vertx.deployVerticle(new RelayUpstreamVerticle(), new DeploymentOptions().setConfig(
      new RelayUpstreamOptions().setName(name).setPort(port).setBrokerHost("127.0.0.1").setBrokerPort(mosquitto.port())
        .toJson())));
  }

  private int edge(int... upstreamPorts) throws Exception {
    RelayEdgeVerticle edge = new RelayEdgeVerticle();
    Futures.join(vertx.deployVerticle(edge, new DeploymentOptions().setConfig(RelayTestOptions.edge(upstreamPorts)
      .setUpstreamRetry(new BackoffOptions(300, 600, RelayEdgeOptions.DEFAULT_UPSTREAM_RETRY_JITTER)).toJson())));
    return edge.actualPort();
  }

  private Mqtt5AsyncClient client(String id, int port, CompletableFuture<Throwable> disconnected) throws Exception {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
      .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause())).buildAsync();
    clients.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    return c;
  }

  private static int freePort() {
    return io.flowsdk.testing.FreePorts.loopback();
  }

  @Test
  void givenTwoUpstreamsWhenTheFirstStopsThenItsClientsAreToldAndNewSessionsGoToTheSecondUntilTheFirstIsBack()
    throws Exception {
    vertx = Vertx.vertx();
    int port1 = freePort();
    int port2 = freePort();
    String first = upstream("u1", port1);
    upstream("u2", port2);
    int edgePort = edge(port1, port2);

    CompletableFuture<Throwable> v5Told = new CompletableFuture<>();
    client("failover-v5", edgePort, v5Told);
    CompletableFuture<Throwable> v3Told = new CompletableFuture<>();
    Mqtt3AsyncClient v3 = Mqtt3Client.builder().identifier("failover-v3").serverHost("127.0.0.1").serverPort(edgePort)
      .addDisconnectedListener(ctx -> v3Told.complete(ctx.getCause())).buildAsync();
    v3.connect().get(10, TimeUnit.SECONDS);
    assertEquals(2.0, live("upstream", "u1"));

    Futures.join(vertx.undeploy(first));
    Mqtt5DisconnectException disconnect = assertInstanceOf(Mqtt5DisconnectException.class, v5Told.get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER, disconnect.getMqttMessage().getReasonCode());
    assertEquals("the relay upstream is stopping", disconnect.getMqttMessage().getReasonString().orElseThrow().toString());
    assertInstanceOf(ConnectionClosedException.class, v3Told.get(10, TimeUnit.SECONDS));

    client("failover-after", edgePort, new CompletableFuture<>());
    assertEquals(1.0, live("upstream", "u2"));
    assertEquals(1.0, upstreamFailures(), "the new session tried the stopped upstream once, then the next");

    upstream("u1", port1);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Mqtt5AsyncClient probe = client("failover-probe", edgePort, new CompletableFuture<>());
      boolean onFirst = live("upstream", "u1") == 1.0;
      probe.disconnect().get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> live("upstream", "u1") == 0.0);
      return onFirst;
    });
  }

  @Test
  void givenAnUpstreamWhoseConnectionBreaksThenAnMqtt5ClientGetsUseAnotherServerNamingIt() throws Exception {
    vertx = Vertx.vertx();
    int port = freePort();
    upstream("u1", port);
    TcpProxy link = Futures.join(TcpProxy.start(vertx, "127.0.0.1", port));
    int edgePort = edge(link.port());
    CompletableFuture<Throwable> told = new CompletableFuture<>();
    client("failover-cut", edgePort, told);
    link.cutAll();
    Mqtt5DisconnectException disconnect = assertInstanceOf(Mqtt5DisconnectException.class, told.get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER, disconnect.getMqttMessage().getReasonCode());
    String reason = disconnect.getMqttMessage().getReasonString().orElseThrow().toString();
    assertTrue(reason.startsWith("the relay upstream 127.0.0.1:" + link.port() + " is unavailable: "), reason);
  }

  @Test
  void givenNoUpstreamReachableWhenAClientConnectsThenItsConnackNamesEachUpstreamTried() throws Exception {
    vertx = Vertx.vertx();
    int port1 = freePort();
    int port2 = freePort();
    int edgePort = edge(port1, port2);
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("failover-none").serverHost("127.0.0.1").serverPort(edgePort)
      .buildAsync();
    Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
      () -> c.connect().get(10, TimeUnit.SECONDS)).getCause();
    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException connack =
      assertInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, refused);
    assertEquals(com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE,
      connack.getMqttMessage().getReasonCode());
    String reason = connack.getMqttMessage().getReasonString().orElseThrow().toString();
    assertTrue(reason.startsWith("cannot open a stream to a relay upstream: 127.0.0.1:" + port1 + " (")
      && reason.contains(", 127.0.0.1:" + port2 + " ("), reason);
    assertEquals(2.0, upstreamFailures());
  }
}
