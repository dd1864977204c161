package io.flowsdk.examples;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.RetainHandling;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.Subscription;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example quoted by docs/mqtt-client.md, run against a real Mosquitto. */
class MqttClientExampleTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenAMosquittoBroker_whenTheExampleRuns_thenItReceivesItsOwnMessage() throws Exception {
    String host = broker.host();
    int port = broker.port();
    List<String> received = new CopyOnWriteArrayList<>();

    // tag::mqtt-client[]
    MqttClientOptions options = new MqttClientOptions()
      .setHost(host)
      .setPort(port)
      .setClientId("sensor-gateway-1")
      .setSessionExpiryIntervalSeconds(3600)       // keep the session for an hour across connection losses
      .setTimeoutPreset(TimeoutPreset.LOCAL)       // 5 s connect, 3 s acknowledgements, 2 s ping
      .setOfflineBufferMaxMessages(10_000);        // publishes wait here while the broker is unreachable

    MqttClient client = MqttClient.create(vertx, options);
    client.messageHandler((InboundMessage m) -> {
      received.add(m.topic() + " " + m.payload());
      return Future.succeededFuture();            // completing the future sends the PUBACK / PUBREC
    });
    client.disconnectedHandler(d -> System.out.println("disconnected: " + d.reasonCode() + " " + d.reasonString()));
    client.reconnectingHandler(r -> System.out.println("reconnect #" + r.attempt() + " in " + r.delayMillis() + " ms"));

    Future<PublishAck> acked = client.connect()
      .compose((ConnAckInfo info) -> client.subscribe(SubscribeRequest.builder()
        .add(Subscription.of("plant/+/temperature", QoS.AT_LEAST_ONCE)
          .withRetainHandling(RetainHandling.SEND_IF_NEW_SUBSCRIPTION))
        .build()))
      .compose(granted -> client.publish(PublishRequest.builder("plant/a/temperature")
        .payload("21.5")
        .qos(QoS.EXACTLY_ONCE)
        .contentType("text/plain")
        .userProperty("unit", "C")
        .build()));
    // end::mqtt-client[]

    assertEquals(QoS.EXACTLY_ONCE, join(acked).qos());
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("plant/a/temperature 21.5"));
    join(client.disconnect());
  }
}
