package io.flowsdk.mqtt.client;

import io.flowsdk.bus.QoS;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.mqtt.client.MqttTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against a real Mosquitto 2.x, on MQTT 5 and 3.1.1. */
class MqttClientMosquittoTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  static Vertx vertx;
  final List<MqttClient> clients = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @AfterEach
  void disconnectClients() {
    for (MqttClient c : clients) {
      await(c.disconnect());
    }
  }

  MqttClientOptions options(MqttVersion version, String clientId) {
    return new MqttClientOptions().setHost(broker.host()).setPort(broker.port()).setVersion(version)
      .setClientId(clientId).setTimeoutPreset(TimeoutPreset.LOCAL);
  }

  MqttClient client(MqttClientOptions options) {
    MqttClient c = MqttClient.create(vertx, options);
    clients.add(c);
    return c;
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenSubscriberAtEachQos_whenPublishedAtThatQos_thenDeliveredOnceWithTheQosAndAcknowledged(MqttVersion version) {
    List<InboundMessage> received = new CopyOnWriteArrayList<>();
    MqttClient sub = client(options(version, "sub-qos-" + version));
    sub.messageHandler(m -> {
      received.add(m);
      return Future.succeededFuture();
    });
    MqttClient pub = client(options(version, "pub-qos-" + version));
    ConnAckInfo subAck = await(sub.connect());
    await(pub.connect());
    assertEquals(ConnectReason.SUCCESS, subAck.reasonCode());
    for (QoS qos : QoS.values()) {
      String topic = "qos/" + version + "/" + qos.value();
      SubscribeResult granted = await(sub.subscribe(SubscribeRequest.of(topic, qos)));
      assertEquals(List.of(SubAckReason.of(qos.value())), granted.reasonCodes());
      PublishAck ack = await(pub.publish(PublishRequest.of(topic, Buffer.buffer("m" + qos.value()), qos)));
      assertEquals(qos, ack.qos());
      assertFalse(ack.reasonCode().isError());
    }
    org.awaitility.Awaitility.await().until(() -> received.size() == 3);
    for (int q = 0; q < 3; q++) {
      InboundMessage m = received.get(q);
      assertEquals(q, m.qos().value());
      assertEquals("m" + q, m.payload().toString());
    }
  }
}
