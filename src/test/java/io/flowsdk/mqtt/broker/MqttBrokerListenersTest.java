package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flowsdk.testing.TestPki;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One broker, three listeners from its JSON: TCP, WebSocket on /mqtt, and TLS; clients on each see the others. */
class MqttBrokerListenersTest {

  @TempDir
  static Path dir;
  static TestPki pki;
  static BrokerPeers peers;
  static int webSocketPort;
  static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    MqttBrokerOptions options = new MqttBrokerOptions(new JsonObject().put("listeners", new JsonArray()
      .add(new MqttListenerOptions().setPort(0).toJson())
      .add(new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.WEBSOCKET).setPort(0).toJson())
      .add(new MqttListenerOptions().setPort(0).setTls(true).setTlsCertPath(pki.serverCert().toString())
        .setTlsKeyPath(pki.serverKey().toString()).toJson())));
    peers = BrokerPeers.start(options);
    List<Integer> ports = peers.broker.ports();
    webSocketPort = ports.get(1);
    tlsPort = ports.get(2);
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  @Test
  void givenASubscriberOnTcp_whenClientsPublishOverWebSocketAndTls_thenBothArrive() throws Exception {
    Process sub = peers.mosquittoSub("mqttv5", "listeners/#", "-q", "1", "-C", "2", "-F", "%t %p");
    Mqtt5BlockingClient ws = Mqtt5Client.builder()
      .identifier("ws-client").serverHost("127.0.0.1").serverPort(webSocketPort)
      .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
    ws.connect();
    ws.publishWith().topic("listeners/ws").qos(MqttQos.AT_LEAST_ONCE).payload("over-ws".getBytes()).send();
    ws.disconnect();
    peers.mosquittoPubAt(tlsPort, "mqttv311", "--cafile", pki.caCert().toString(), "-q", "1", "-t", "listeners/tls",
      "-m", "over-tls");
    assertEquals("listeners/ws over-ws\nlisteners/tls over-tls", BrokerPeers.output(sub));
  }
}
