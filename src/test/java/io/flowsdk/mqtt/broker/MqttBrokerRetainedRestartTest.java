package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flowsdk.testing.StandaloneBrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.MqttBrokerHiveTest.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone broker with {@code retainedStorePath} in a process of its own, killed with
 * {@code kill -9} right after its clients' retained publishes were acknowledged, and started again in
 * a new process on the same file: every acknowledged retained message, and every clear, is there.
 */
class MqttBrokerRetainedRestartTest {

  private static final int TOPICS = 200;

  @TempDir
  Path dir;

  private static StandaloneBrokerProcess.Running start(Path file) throws Exception {
    return StandaloneBrokerProcess.launch(BrokerPeers.onFreePort().setRetainedStorePath(file.toString()).setSysIntervalSeconds(0));
  }

  private static Mqtt5AsyncClient client(String id, int port) throws Exception {
    return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildAsync();
  }

  @Test
  void givenAcknowledgedRetainedPublishes_whenTheNodeIsKilledWithKill9AndRestarted_thenEveryOneAndEveryClearIsThere()
    throws Exception {
    Path file = dir.resolve("retained.mv");
    StandaloneBrokerProcess.Running first = start(file);
    try {
      Mqtt5AsyncClient pub = client("restart-pub", first.port());
      get(pub.connect());
      for (int i = 0; i < TOPICS; i++) { // each acknowledged (QoS 1) before the next
        get(pub.publishWith().topic("kept/" + i).qos(MqttQos.AT_LEAST_ONCE).retain(true)
          .payload(("v" + i).getBytes(StandardCharsets.UTF_8)).send());
      }
      get(pub.publishWith().topic("kept/7").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send());
      get(pub.publishWith().topic("kept/8").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("replaced".getBytes(StandardCharsets.UTF_8)).send());
    } finally {
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close of the store
      assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
    }
    assertEquals(137, first.process().exitValue(), "killed by SIGKILL");

    StandaloneBrokerProcess.Running second = start(file);
    try {
      Map<String, String> got = new ConcurrentHashMap<>();
      Mqtt5AsyncClient sub = client("restart-sub", second.port());
      sub.publishes(MqttGlobalPublishFilter.ALL, p -> got.put(p.getTopic() + (p.isRetain() ? "" : " (not retained)"),
        new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
      get(sub.connect());
      get(sub.subscribeWith().topicFilter("kept/#").qos(MqttQos.AT_LEAST_ONCE).send());
      await().atMost(30, TimeUnit.SECONDS).until(() -> got.size() >= TOPICS - 1);
      Map<String, String> expected = new TreeMap<>();
      for (int i = 0; i < TOPICS; i++) {
        if (i != 7) {
          expected.put("kept/" + i, i == 8 ? "replaced" : "v" + i);
        }
      }
      assertEquals(expected, new TreeMap<>(got));
      get(sub.disconnect());
    } finally {
      second.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
