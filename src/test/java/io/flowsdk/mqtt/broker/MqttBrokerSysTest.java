package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A standalone node's $SYS topics, read with mosquitto_sub, every second here. */
class MqttBrokerSysTest {

  static BrokerPeers peers;
  static String sys;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort().setSysIntervalSeconds(1));
    sys = "$SYS/broker/nodes/" + peers.bus.nodeId() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  @Test
  void givenANewSubscriber_whenItSubscribesToTheNodesSysTree_thenItGetsEveryFigureRetainedWithMosquittosNames() throws Exception {
    Process sub = peers.mosquittoSub("mqttv5", sys + "#", "-C", "9", "-F", "%r %t");
    String[] lines = BrokerPeers.output(sub).split("\n");
    Arrays.sort(lines);
    List<String> names = Arrays.stream(lines).map(l -> l.replace(sys, "")).toList();
    assertEquals(List.of("1 bytes/received", "1 bytes/sent", "1 clients/connected", "1 messages/received", "1 messages/sent",
      "1 publish/messages/dropped", "1 subscriptions/count", "1 uptime", "1 version"), names);
  }

  @Test
  void givenAStandaloneNode_thenTheClusterTotalsAreItsOwnFigures() throws Exception {
    peers.mosquittoPub("mqttv5", "-q", "1", "-t", "sys/total", "-m", "t");
    Map<String, String> latest = new ConcurrentHashMap<>();
    join(peers.bus.subscribe("$SYS/broker/#", (FlowMessage m) -> latest.put(m.topic(), m.payload().toString())));
    List<String> names = List.of("clients/connected", "subscriptions/count", "messages/received", "messages/sent",
      "bytes/received", "bytes/sent", "publish/messages/dropped", "uptime");
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      for (String name : names) {
        assertNotNull(latest.get("$SYS/broker/" + name), name);
        assertEquals(latest.get(sys + name), latest.get("$SYS/broker/" + name), name);
      }
    });
    assertTrue(Double.parseDouble(latest.get("$SYS/broker/messages/received")) >= 1, "the publish is counted");
    assertEquals(null, latest.get("$SYS/broker/version"), "version is each node's own");
  }

  @Test
  void givenTwoPublishes_thenMessagesReceivedCountsThemAndAHashSubscriberNeverSeesSys() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe(sys + "messages/received", (FlowMessage m) -> received.add(m.payload().toString())));
    List<String> totals = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("$SYS/broker/messages/received", (FlowMessage m) -> totals.add(m.payload().toString())));
    double before = Double.parseDouble(latest(received));
    peers.mosquittoPub("mqttv311", "-q", "1", "-t", "sys/one", "-m", "1");
    peers.mosquittoPub("mqttv5", "-q", "1", "-t", "sys/two", "-m", "2");
    await().atMost(5, TimeUnit.SECONDS).until(() -> Double.parseDouble(received.get(received.size() - 1)) == before + 2);
    Process all = peers.mosquittoSub("mqttv311", "#", "-C", "1", "-v");
    int updatesSeen = totals.size();
    await().atMost(5, TimeUnit.SECONDS).until(() -> totals.size() > updatesSeen); // one more $SYS round went out, totals last
    assertTrue(all.isAlive(), "the # subscriber got nothing from $SYS");
    peers.mosquittoPub("mqttv311", "-q", "1", "-t", "sys/marker", "-m", "m");
    assertEquals("sys/marker m", BrokerPeers.output(all));
  }

  private static String latest(List<String> received) {
    await().atMost(5, TimeUnit.SECONDS).until(() -> !received.isEmpty());
    return received.get(received.size() - 1);
  }
}
