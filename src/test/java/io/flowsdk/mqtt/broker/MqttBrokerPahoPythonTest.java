package io.flowsdk.mqtt.broker;

import io.flowsdk.testing.DebianPython;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The broker with a non-JVM peer: Debian's Paho Python 1.6 (python3-paho-mqtt, installed by {@code ./test}),
 * MQTT 5 and 3.1.1, running {@code src/test/python/paho_broker_interop.py}; each scenario prints what its
 * clients received.
 */
class MqttBrokerPahoPythonTest {

  private static final Path SCRIPT = Path.of("src/test/python/paho_broker_interop.py");

  static BrokerPeers peers;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    DebianPython.requirePaho();
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "311"})
  void givenPahoPython_whenItPublishesAtQos012_thenEachArrivesOnceInOrderAtItsQos(String version) throws Exception {
    JsonObject seen = run(version, "qos");
    List<String> expected = new ArrayList<>(List.of("q0@0", "q1@1", "q2@2"));
    IntStream.range(0, 50).forEach(i -> expected.add("m" + i + "@2"));
    expected.add("marker@2");
    assertEquals(new JsonArray().add(2), seen.getJsonArray("granted"));
    assertEquals(new JsonArray(expected), seen.getJsonArray("received"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "311"})
  void givenARetainedMessageReplacedThenCleared_whenPahoPythonSubscribes_thenItGetsOnlyTheRetainedOneWithRetainSet(String version)
    throws Exception {
    JsonObject seen = run(version, "retained");
    assertEquals(new JsonArray().add(new JsonArray().add("py/retained/a").add("kept").add(true)), seen.getJsonArray("first"));
    assertEquals(new JsonArray().add(new JsonArray().add("py/retained/z").add("marker").add(true)), seen.getJsonArray("second"),
      "the cleared py/retained/a is not sent");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "311"})
  void givenTwoClientsWithWills_whenOneDisconnectsNormallyAndOneIsCut_thenOnlyTheCutOnesWillArrives(String version) throws Exception {
    assertEquals(new JsonArray().add("crashed-will"), run(version, "will").getJsonArray("received"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "311"})
  void givenAPersistentSession_whenMessagesArriveWhileItIsAway_thenItResumesWithTheQueuedQos12OnesOnceAndItsSubscription(String version)
    throws Exception {
    JsonObject seen = run(version, "session");
    assertEquals(true, seen.getBoolean("sessionPresent"));
    assertEquals(new JsonArray().add("while-away-1@1").add("while-away-2@2"), seen.getJsonArray("queued"),
      "QoS 0 is not queued for an absent client");
    assertEquals(new JsonArray().add("while-away-1@1").add("while-away-2@2").add("live@1"), seen.getJsonArray("received"));
  }

  @Test
  void givenPahoPythonSettingATopicAlias_whenItPublishesByTheAlias_thenSubscribersGetTheFullTopic() throws Exception {
    String topic = "py/alias/long/topic ";
    assertEquals(new JsonArray().add(topic + "named").add(topic + "aliased-1").add(topic + "aliased-2"),
      run("5", "alias").getJsonArray("received"));
  }

  @Test
  void givenUserPropertiesAndAResponseTopic_whenPahoPythonPublishes_thenTheSubscriberGetsThemUntouched() throws Exception {
    JsonObject expected = new JsonObject().put("topic", "py/props").put("payload", "request").put("qos", 1).put("retain", false)
      .put("userProperties", new JsonArray().add(new JsonArray().add("trace").add("t-1")).add(new JsonArray().add("trace").add("t-2"))
        .add(new JsonArray().add("unit").add("°C")))
      .put("responseTopic", "py/props/reply").put("correlationData", "corr-7");
    assertEquals(new JsonArray().add(expected), run("5", "properties").getJsonArray("received"));
  }

  private JsonObject run(String version, String scenario) throws Exception {
    List<String> lines = DebianPython.run(dir, scenario, SCRIPT.toString(), "--port", String.valueOf(peers.port),
      "--version", version, scenario);
    return new JsonObject(lines.get(lines.size() - 1));
  }
}
