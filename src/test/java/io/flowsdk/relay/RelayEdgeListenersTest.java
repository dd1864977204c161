package io.flowsdk.relay;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.TestPki;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One edge with three MQTT listeners from its options, TCP, WebSocket ({@code /mqtt}) and TLS, all relayed
 * through one upstream to a real Mosquitto: clients on each see the others.
 */
class RelayEdgeListenersTest {

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  @TempDir
  Path dir;

  private Vertx vertx;

  @AfterEach
  void sessionsBackToZero() throws Exception {
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "edge") == 0.0 && RelayFixture.sessions(vertx, "upstream") == 0.0);
      Futures.join(vertx.close());
    }
  }

  private static Process start(String... command) throws Exception {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static String output(Process p) throws Exception {
    assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the mosquitto client did not finish within 15 s");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void givenTcpWebSocketAndTlsListenersWhenClientsPublishOverWebSocketAndTlsThenTheTcpSubscriberGetsBoth() throws Exception {
    TestPki pki = TestPki.create(dir);
    vertx = Vertx.vertx();
    RelayUpstreamVerticle upstream = RelayFixture.deployUpstream(vertx, RelayTestOptions.upstream(mosquitto.port()));
    RelayEdgeVerticle edge = RelayFixture.deployEdge(vertx, RelayTestOptions.edge(upstream.actualPort())
      .setListeners(List.of(new MqttListenerOptions().setPort(0),
        new MqttListenerOptions().setPort(0).setTransport(MqttListenerOptions.Transport.WEBSOCKET),
        new MqttListenerOptions().setPort(0).setTls(true).setTlsCertPath(pki.serverCert().toString())
          .setTlsKeyPath(pki.serverKey().toString()))));
    List<Integer> ports = edge.actualPorts();

    Process sub = start("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(ports.get(0)), "-V", "mqttv5",
      "-q", "1", "-t", "edge/#", "-C", "2", "-W", "15", "-F", "%t %p");
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 1.0);

    Mqtt5BlockingClient ws = Mqtt5Client.builder().identifier("edge-ws").serverHost("127.0.0.1").serverPort(ports.get(1))
      .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
    ws.connect();
    ws.publishWith().topic("edge/ws").qos(MqttQos.AT_LEAST_ONCE).payload("over-ws".getBytes(StandardCharsets.UTF_8)).send();
    ws.disconnect();

    Process tls = start("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(ports.get(2)), "--cafile",
      pki.caCert().toString(), "-V", "mqttv311", "-q", "1", "-t", "edge/tls", "-m", "over-tls");
    assertEquals("", output(tls));
    assertEquals(0, tls.exitValue());

    assertEquals("edge/ws over-ws\nedge/tls over-tls", output(sub));
  }
}
