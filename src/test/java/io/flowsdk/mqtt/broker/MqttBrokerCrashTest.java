package io.flowsdk.mqtt.broker;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.testing.BrokerNodeProcess;
import io.flowsdk.testing.TestCluster;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.ack;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A persistent session whose node is killed with {@code kill -9}: the broker node in a separate
 * process ({@link BrokerNodeProcess}) serves the client; this process is the node it resumes on.
 */
class MqttBrokerCrashTest {

  private static final int QOS1 = 40;
  private static final int QOS2 = 10;

  private Process victim;
  private BrokerPeers survivor;

  @AfterEach
  void stop() throws Exception {
    if (victim != null) {
    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (survivor != null) {
      survivor.close();
    }
  }

  @Test
  void givenAPersistentSessionWithUnackedAndQueuedMessages_whenItsNodeIsKilled_thenTheClientGetsEveryOneOnAnotherNode()
    throws Exception {
    TestCluster cluster = new TestCluster();
    Vertx vertx = join(cluster.startNode());
    survivor = BrokerPeers.start(vertx, BrokerPeers.onFreePort().setTakeoverTimeoutMillis(1000));
    String[] ready = startVictim(cluster.name()).get(60, TimeUnit.SECONDS).split(" ");
    String victimNode = ready[0];
    int victimPort = Integer.parseInt(ready[1]);

    List<String> expected = new ArrayList<>();
    List<Integer> unacked = new ArrayList<>();
    RawMqttClient onVictim = survivor.rawConnecting(victimPort, true, BrokerPeers.connect("crash-session", true, true, 300));
    try {
      assertEquals(MqttMessageType.CONNACK, join(onVictim.next(WAIT)).fixedHeader().messageType());
      join(onVictim.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, "crash/s/#").build()));
      assertEquals(MqttMessageType.SUBACK, join(onVictim.next(WAIT)).fixedHeader().messageType());
      await().atMost(Duration.ofSeconds(20)).until(() -> join(survivor.bus.routeOf("crash/s/x")).equals(Set.of(victimNode)));
      for (int i = 0; i < 3; i++) { // delivered, never acknowledged: in flight when the node dies
        publish("crash/s/live", "live" + i, QoS.AT_LEAST_ONCE);
        expected.add("live" + i);
        unacked.add(((MqttPublishMessage) join(onVictim.next(WAIT))).variableHeader().packetId());
      }
    } finally {
      join(onVictim.close());
    } // the connection is cut: the session waits on the victim, with its expiry of 300 s
    await().atMost(Duration.ofSeconds(10)).until(() -> sessionRecordHasTtl(vertx));
    for (int i = 0; i < QOS1 + QOS2; i++) { // each acknowledged by the victim only once it is stored
      String payload = "away" + i;
      publish("crash/s/" + i, payload, i < QOS1 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE);
      expected.add(payload);
    }

    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    HazelcastInstance hazelcast = hazelcast(vertx);
    await().atMost(Duration.ofSeconds(30)).until(() -> hazelcast.getCluster().getMembers().size() == 1);

    RawMqttClient resumed = survivor.rawConnecting(survivor.port, true, BrokerPeers.connect("crash-session", true, false, 300));
    try {
      assertEquals(MqttMessageType.CONNACK, join(resumed.next(WAIT)).fixedHeader().messageType());
      List<String> got = new ArrayList<>();
      for (int i = 0; i < expected.size(); i++) {
        MqttPublishMessage p = (MqttPublishMessage) join(resumed.next(WAIT));
        got.add(p.payload().toString(StandardCharsets.UTF_8));
        if (i < unacked.size()) {
          assertTrue(p.fixedHeader().isDup(), "an unacknowledged delivery is sent again with DUP");
          assertEquals(unacked.get(i), p.variableHeader().packetId());
        }
        join(resumed.send(ack(p.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK,
          p.variableHeader().packetId())));
      }
      assertEquals(expected, got);
      // the subscription moved too
      await().atMost(Duration.ofSeconds(10)).until(() -> join(survivor.bus.routeOf("crash/s/x")).equals(Set.of(survivor.bus.nodeId())));
    } finally {
      join(resumed.close());
    }
  }

  private void publish(String topic, String payload, QoS qos) throws Exception {
    assertEquals(1, join(survivor.bus.publish(FlowMessage.builder(topic).payload(payload).qos(qos).build())).subscribers());
  }

  private static HazelcastInstance hazelcast(Vertx vertx) {
    return ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
  }

  /** The victim noticed the cut connection: the record now expires with the session. */
  private static boolean sessionRecordHasTtl(Vertx vertx) {
    var view = hazelcast(vertx).getMap("flowsdk.mqtt.sessions").getEntryView("crash-session");
    return view != null && view.getTtl() > 0 && view.getTtl() < Long.MAX_VALUE;
  }

  private CompletableFuture<String> startVictim(String clusterName) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    victim = new ProcessBuilder(java, "-Xmx256m", "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false",
      "-cp", System.getProperty("java.class.path"), BrokerNodeProcess.class.getName(), clusterName)
      .redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Process p = victim;
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            ready.complete(line.substring(6));
          }
        }
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("the broker process ended before it was ready"));
    }, "victim-output");
    reader.setDaemon(true);
    reader.start();
    return ready;
  }
}
