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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.client.MqttTestSupport.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QoS 2 both ways between our client and independent peers: {@code mosquitto_pub} and {@code mosquitto_sub}. */
class MqttClientMosquittoCliTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  static String cliVersion(MqttVersion version) {
    return version == MqttVersion.V5 ? "mqttv5" : "mqttv311";
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenOurSubscriber_whenMosquittoPubSendsAtQos2_thenItArrivesWithItsProperties(MqttVersion version) throws Exception {
    List<InboundMessage> inbox = new CopyOnWriteArrayList<>();
    MqttClient sub = MqttClient.create(vertx, new MqttClientOptions().setHost(broker.host()).setPort(broker.port())
      .setVersion(version).setClientId("cli-sub-" + version));
    sub.messageHandler(m -> {
      inbox.add(m);
      return Future.succeededFuture();
    });
    await(sub.connect());
    await(sub.subscribe(SubscribeRequest.of("cli/in/" + version, QoS.EXACTLY_ONCE)));
    List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", broker.host(), "-p", String.valueOf(broker.port()),
      "-V", cliVersion(version), "-q", "2", "-t", "cli/in/" + version, "-m", "hello"));
    if (version == MqttVersion.V5) {
      cmd.addAll(List.of("-D", "publish", "user-property", "k", "v", "-D", "publish", "content-type", "text/plain"));
    }

    Process pub = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(pub.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    await().until(() -> inbox.size() == 1);
    InboundMessage m = inbox.get(0);
    assertEquals("hello", m.payload().toString());
    assertEquals(QoS.EXACTLY_ONCE, m.qos());
    if (version == MqttVersion.V5) {
      assertEquals("v", m.userProperties().get(0).value());
      assertEquals("text/plain", m.contentType());
    }
    await(sub.disconnect());
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenOurClientPublishedARetainedQos2Message_whenMosquittoSubSubscribes_thenItPrintsItAtQos2(MqttVersion version)
    throws Exception {
    MqttClient pub = MqttClient.create(vertx, new MqttClientOptions().setHost(broker.host()).setPort(broker.port())
      .setVersion(version).setClientId("cli-pub-" + version));
    await(pub.connect());
    String topic = "cli/out/" + version;
    await(pub.publish(PublishRequest.builder(topic).payload("world").qos(QoS.EXACTLY_ONCE).retain(true).build()));

    Process sub = new ProcessBuilder("mosquitto_sub", "-h", broker.host(), "-p", String.valueOf(broker.port()),
      "-V", cliVersion(version), "-q", "2", "-t", topic, "-C", "1", "-F", "%q|%r|%t|%p")
      .redirectErrorStream(true).start();
    try {
      assertTrue(sub.waitFor(10, TimeUnit.SECONDS), "mosquitto_sub exits after one message");
      String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals("2|1|" + topic + "|world", out);
    } finally {
      sub.destroyForcibly();
      await(pub.publish(PublishRequest.builder(topic).qos(QoS.AT_LEAST_ONCE).retain(true).build()));
      await(pub.disconnect());
    }
  }
}
