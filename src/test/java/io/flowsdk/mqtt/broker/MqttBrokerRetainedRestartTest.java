package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flowsdk.testing.StandaloneBrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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

  /** A broker process on {@code file} and the port it listens on. */
  private record Node(Process process, int port) {
  }

  private Node start(Path file) throws Exception {
    MqttBrokerOptions options = BrokerPeers.onFreePort().setRetainedStorePath(file.toString()).setSysIntervalSeconds(0);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
      StandaloneBrokerProcess.class.getName(), options.toJson().encode()).redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        int port = Integer.parseInt(line.substring(6).trim());
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { })); // keep its output from blocking it
        drain.setDaemon(true);
        drain.start();
        return new Node(p, port);
      }
    }
    throw new AssertionError("the broker process ended before it was ready: exit " + p.waitFor());
  }

  private static Mqtt5AsyncClient client(String id, int port) throws Exception {
    return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildAsync();
  }

  @Test
  void givenAcknowledgedRetainedPublishes_whenTheNodeIsKilledWithKill9AndRestarted_thenEveryOneAndEveryClearIsThere()
    throws Exception {
    Path file = dir.resolve("retained.mv");
    Node first = start(file);
    try {
      Mqtt5AsyncClient pub = client("restart-pub", first.port);
      get(pub.connect());
      for (int i = 0; i < TOPICS; i++) { // each acknowledged (QoS 1) before the next
        get(pub.publishWith().topic("kept/" + i).qos(MqttQos.AT_LEAST_ONCE).retain(true)
          .payload(("v" + i).getBytes(StandardCharsets.UTF_8)).send());
      }
      get(pub.publishWith().topic("kept/7").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send());
      get(pub.publishWith().topic("kept/8").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("replaced".getBytes(StandardCharsets.UTF_8)).send());
    } finally {
      first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the store
      assertTrue(first.process.waitFor(10, TimeUnit.SECONDS));
    }
    assertEquals(137, first.process.exitValue(), "killed by SIGKILL");

    Node second = start(file);
    try {
      Map<String, String> got = new ConcurrentHashMap<>();
      Mqtt5AsyncClient sub = client("restart-sub", second.port);
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
      second.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
