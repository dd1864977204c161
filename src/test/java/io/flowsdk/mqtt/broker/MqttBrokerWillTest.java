package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Will messages with mosquitto_sub as the client that goes away: killed, or leaving normally. */
class MqttBrokerWillTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static List<String> onBus(String topic) throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe(topic, (FlowMessage m) -> got.add(m.payload().toString())));
    return got;
  }

  private static double connections() {
    return FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_connections").gauge().value();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenAClientWithAWill_whenItIsKilled_thenTheWillIsPublished(String version) throws Exception {
    String topic = "will/killed/" + version;
    List<String> got = onBus(topic);
    Process client = peers.mosquittoSub(version, "will/alive/" + version, "--will-topic", topic, "--will-payload", "gone",
      "--will-qos", "1");
    client.destroyForcibly(); // SIGKILL: no DISCONNECT
    await().until(() -> got.size() == 1);
    assertEquals(List.of("gone"), got);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenAClientWithAWill_whenItDisconnectsNormally_thenNoWill(String version) throws Exception {
    String topic = "will/normal/" + version;
    List<String> got = onBus(topic);
    double before = connections();
    Process client = peers.mosquittoSub(version, "will/leave/" + version, "--will-topic", topic, "--will-payload", "gone",
      "-C", "1");
    join(peers.bus.publish(FlowMessage.builder("will/leave/" + version).payload("x").build()));
    BrokerPeers.output(client); // it exits with a DISCONNECT after one message
    await().until(() -> connections() == before);
    join(peers.bus.publish(FlowMessage.builder(topic).payload("marker").build()));
    await().until(() -> !got.isEmpty());
    assertEquals(List.of("marker"), got);
  }

  @Test
  void givenAWillDelay_whenTheClientIsKilled_thenTheWillComesAfterTheDelay() throws Exception {
    List<String> got = onBus("will/delayed");
    Process client = peers.mosquittoSub("mqttv5", "will/d", "-i", "delayed", "-x", "60", "-D", "will", "will-delay-interval", "2",
      "--will-topic", "will/delayed", "--will-payload", "late");
    long killed = System.nanoTime();
    client.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
    long elapsedMillis = (System.nanoTime() - killed) / 1_000_000;
    assertTrue(elapsedMillis >= 1_900, "the will came after " + elapsedMillis + " ms, before its 2 s delay");
  }

  @Test
  void givenAWillDelay_whenTheClientResumesItsSessionWithinIt_thenTheWillIsNeverSent() throws Exception {
    List<String> got = onBus("will/cancelled");
    Process client = peers.mosquittoSub("mqttv5", "will/c", "-i", "comeback", "-c", "-x", "60", "-D", "will",
      "will-delay-interval", "2", "--will-topic", "will/cancelled", "--will-payload", "late");
    double connected = connections();
    client.destroyForcibly();
    await().until(() -> connections() == connected - 1);
    Process back = peers.mosquittoSub("mqttv5", "will/c", "-i", "comeback", "-c", "-x", "60");
    try {
      await().until(() -> connections() == connected); // resumed within the 2 s
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true); // past the delay
      assertEquals(List.of(), got);
    } finally {
      back.destroyForcibly();
    }
  }
}
