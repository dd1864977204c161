package io.flowsdk.mqtt.broker;

import com.hazelcast.core.HazelcastInstance;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.testing.BrokerNodeProcess;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
  private BrokerPeers secondSurvivor;

  @AfterEach
  void stop() throws Exception {
    if (victim != null) {
      victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (secondSurvivor != null) {
      secondSurvivor.close();
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
    await().atMost(Duration.ofSeconds(10)).until(() -> sessionRecordHasTtl(vertx, "crash-session"));
    for (int i = 0; i < QOS1 + QOS2; i++) { // each acknowledged by the victim only once it is stored
      String payload = "away" + i;
      publish("crash/s/" + i, payload, i < QOS1 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE);
      expected.add(payload);
    }

    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    HazelcastInstance hazelcast = ClusterNodes.hazelcast(vertx);
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

  /**
   * The session also holds a client QoS 2 PUBLISH that got its PUBREC on the victim: sent again on
   * the resume (with DUP, as by a client that lost the PUBREC), it is answered PUBREC without
   * reaching the bus again, and its PUBREL gets PUBCOMP.
   */
  @Test
  void givenAPersistentSessionWhoseNodeIsKilled_whenMessagesComeBeforeItsClientReturns_thenANodeAdoptsItAndTheClientGetsAllOnAnother()
    throws Exception {
    TestCluster cluster = new TestCluster();
    Vertx vertx = join(cluster.startNode());
    survivor = BrokerPeers.start(vertx, BrokerPeers.onFreePort().setTakeoverTimeoutMillis(1000));
    secondSurvivor = BrokerPeers.start(join(cluster.startNode()), BrokerPeers.onFreePort().setTakeoverTimeoutMillis(1000));
    List<String> fromClient = new CopyOnWriteArrayList<>();
    join(survivor.bus.subscribe(new SubscriptionOptions().setFilter("adopt/in").setQos(QoS.EXACTLY_ONCE), m -> {
      fromClient.add(m.payload().toString());
      return Future.succeededFuture();
    }));
    String[] ready = startVictim(cluster.name()).get(60, TimeUnit.SECONDS).split(" ");
    String victimNode = ready[0];
    RawMqttClient onVictim = survivor.rawConnecting(Integer.parseInt(ready[1]), true,
      BrokerPeers.connect("adopted-session", true, true, 300));
    try {
      assertEquals(MqttMessageType.CONNACK, join(onVictim.next(WAIT)).fixedHeader().messageType());
      join(onVictim.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, "adopt/s/#").build()));
      assertEquals(MqttMessageType.SUBACK, join(onVictim.next(WAIT)).fixedHeader().messageType());
      await().atMost(Duration.ofSeconds(20)).until(() -> join(survivor.bus.routeOf("adopt/s/x")).equals(Set.of(victimNode)));
      join(onVictim.send(MqttBrokerSessionTest.publish("adopt/in", 2, 9, false, "inbound")));
      assertEquals(MqttMessageType.PUBREC, join(onVictim.next(WAIT)).fixedHeader().messageType()); // its PUBREL waits for the resume
      join(onVictim.send(Buffer.buffer(new byte[] {(byte) 0xE0, 0x00}))); // a normal DISCONNECT: the session waits on the victim
      join(onVictim.untilClosed(WAIT));
    } finally {
      join(onVictim.close());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> sessionRecordHasTtl(vertx, "adopted-session"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      publish("adopt/s/" + i, "before" + i, i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE);
      expected.add("before" + i);
    }

    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    // one of the two survivors adopts the session: its subscription is on the bus again
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Set<String> route = join(survivor.bus.routeOf("adopt/s/x"));
      return route.size() == 1 && !route.contains(victimNode);
    });
    String adopter = join(survivor.bus.routeOf("adopt/s/x")).iterator().next();
    for (int i = 0; i < 6; i++) { // the client is still away
      publish("adopt/s/" + i, "after" + i, i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE);
      expected.add("after" + i);
    }

    BrokerPeers resumeOn = adopter.equals(survivor.bus.nodeId()) ? secondSurvivor : survivor;
    RawMqttClient resumed = resumeOn.rawConnecting(resumeOn.port, true, BrokerPeers.connect("adopted-session", true, false, 300));
    try {
      MqttMessage connack = join(resumed.next(WAIT));
      assertTrue(((MqttConnAckMessage) connack).variableHeader().isSessionPresent(), "the adopted session is present");
      List<String> got = new ArrayList<>();
      for (int i = 0; i < expected.size(); i++) {
        got.add(readAndAck(resumed));
      }
      assertEquals(expected, got);
      await().atMost(Duration.ofSeconds(10)).until(() -> join(survivor.bus.routeOf("adopt/s/x")).equals(Set.of(resumeOn.bus.nodeId())));
      publish("adopt/s/last", "last", QoS.AT_LEAST_ONCE);
      assertEquals("last", readAndAck(resumed), "nothing came twice before the last message");

      join(resumed.send(MqttBrokerSessionTest.publish("adopt/in", 2, 9, true, "inbound")));
      assertEquals(MqttMessageType.PUBREC, join(resumed.next(WAIT)).fixedHeader().messageType());
      join(resumed.send(ack(MqttMessageType.PUBREL, 9)));
      assertEquals(MqttMessageType.PUBCOMP, join(resumed.next(WAIT)).fixedHeader().messageType());
      join(resumed.send(MqttBrokerSessionTest.publish("adopt/in", 2, 10, false, "next")));
      assertEquals(MqttMessageType.PUBREC, join(resumed.next(WAIT)).fixedHeader().messageType());
      await().atMost(Duration.ofSeconds(10)).until(() -> fromClient.contains("next"));
      assertEquals(List.of("inbound", "next"), fromClient, "the QoS 2 PUBLISH sent again after the crash reached the bus once");
    } finally {
      join(resumed.close());
    }
  }

  /** The next PUBLISH, acknowledged at its QoS; a PUBREL on the way (of an earlier QoS 2 delivery) is completed. */
  private static String readAndAck(RawMqttClient raw) throws Exception {
    for (int packets = 0; packets < 100; packets++) {
      MqttMessage m = join(raw.next(WAIT));
      if (m.fixedHeader().messageType() == MqttMessageType.PUBREL) {
        join(raw.send(ack(MqttMessageType.PUBCOMP, ((MqttMessageIdVariableHeader) m.variableHeader()).messageId())));
        continue;
      }
      MqttPublishMessage p = (MqttPublishMessage) m;
      raw.send(ack(p.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK,
        p.variableHeader().packetId()));
      return p.payload().toString(StandardCharsets.UTF_8);
    }
    throw new AssertionError("no PUBLISH among 100 packets");
  }

  private void publish(String topic, String payload, QoS qos) throws Exception {
    assertEquals(1, join(survivor.bus.publish(FlowMessage.builder(topic).payload(payload).qos(qos).build())).subscribers());
  }

  /** The victim noticed the cut connection: the record now expires with the session. */
  private static boolean sessionRecordHasTtl(Vertx vertx, String clientId) {
    var view = ClusterNodes.hazelcast(vertx).getMap("flowsdk.mqtt.sessions").getEntryView(clientId);
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
