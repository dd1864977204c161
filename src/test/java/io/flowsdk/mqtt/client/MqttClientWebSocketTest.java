package io.flowsdk.mqtt.client;

import io.flowsdk.bus.QoS;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.mqtt.client.MqttTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** MQTT over WebSocket against Mosquitto's websockets listener, talking to a TCP client. */
class MqttClientWebSocketTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create().webSockets();

  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenAWebSocketClientAndATcpClient_whenEachPublishesToTheOtherAtEveryQos_thenEverythingArrives(MqttVersion version) {
    List<InboundMessage> wsInbox = new CopyOnWriteArrayList<>();
    List<InboundMessage> tcpInbox = new CopyOnWriteArrayList<>();
    MqttClient ws = MqttClient.create(vertx, new MqttClientOptions().setHost(broker.host()).setPort(broker.webSocketPort())
      .setTransport(MqttTransport.WEBSOCKET).setVersion(version).setClientId("ws-" + version));
    MqttClient tcp = MqttClient.create(vertx, new MqttClientOptions().setHost(broker.host()).setPort(broker.port())
      .setVersion(version).setClientId("tcp-" + version));
    ws.messageHandler(m -> {
      wsInbox.add(m);
      return Future.succeededFuture();
    });
    tcp.messageHandler(m -> {
      tcpInbox.add(m);
      return Future.succeededFuture();
    });
    await(ws.connect());
    await(tcp.connect());
    await(ws.subscribe(SubscribeRequest.of("ws/down/" + version, QoS.EXACTLY_ONCE)));
    await(tcp.subscribe(SubscribeRequest.of("ws/up/" + version, QoS.EXACTLY_ONCE)));

    for (QoS qos : QoS.values()) {
      await(ws.publish(PublishRequest.of("ws/up/" + version, Buffer.buffer("up" + qos.value()), qos)));
      await(tcp.publish(PublishRequest.of("ws/down/" + version, Buffer.buffer("down" + qos.value()), qos)));
    }

    org.awaitility.Awaitility.await().until(() -> wsInbox.size() == 3 && tcpInbox.size() == 3);
    assertEquals(List.of("down0", "down1", "down2"), wsInbox.stream().map(m -> m.payload().toString()).toList());
    assertEquals(List.of("up0", "up1", "up2"), tcpInbox.stream().map(m -> m.payload().toString()).toList());
    await(ws.disconnect());
    await(tcp.disconnect());
  }
}
