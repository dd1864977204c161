package io.flowsdk.mqtt.broker;

import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.testing.StandaloneBrokerProcess;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.ack;
import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.publish;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone broker with {@code sessionStorePath} in a process of its own, killed with
 * {@code kill -9} while persistent sessions wait for their clients, and started again in a new
 * process on the same file: the sessions are back (Session Present), subscribed again before their
 * clients return, with every QoS 1/2 message acknowledged to its publisher, the unacknowledged ones
 * resent with DUP and a PUBREC'd QoS 2 one completed with PUBREL; a session whose expiry ran out
 * during the downtime is gone.
 */
class MqttBrokerSessionRestartTest {

  private static final int AWAY = 20;
  private static final int AFTER = 6;
  private static final int SHORT_EXPIRY_SECONDS = 4;

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final List<StandaloneBrokerProcess.Running> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (StandaloneBrokerProcess.Running node : nodes) {
      node.kill();
    }
    join(vertx.close());
  }

  private StandaloneBrokerProcess.Running start(MqttBrokerOptions options) throws Exception {
    StandaloneBrokerProcess.Running node = StandaloneBrokerProcess.launch(options.setSysIntervalSeconds(0));
    nodes.add(node);
    return node;
  }

  /** What a subscriber left behind when the node was killed, and what it must get on its resume. */
  private static final class Away {
    final String clientId;
    final boolean v5;
    final String topic;
    final List<Integer> unacked = new ArrayList<>();
    final List<String> expected = new ArrayList<>();
    int releasedPacketId;

    Away(String clientId, boolean v5, String topic) {
      this.clientId = clientId;
      this.v5 = v5;
      this.topic = topic;
    }
  }

  @Test
  void givenPersistentSessionsAway_whenTheNodeIsKilledWithKill9AndRestarted_thenTheyResumeWithEveryAcknowledgedMessage() throws Exception {
    MqttBrokerOptions options = BrokerPeers.onFreePort().setSessionStorePath(dir.resolve("sessions.mv").toString());
    StandaloneBrokerProcess.Running first = start(options);
    Away v5 = new Away("disk-v5", true, "disk/v5");
    Away v311 = new Away("disk-311", false, "disk/311");
    RawMqttClient pub = connected(first.port(), "disk-pub", true, true, 0, false);
    for (Away away : List.of(v5, v311)) {
      leaveWithMessagesInFlight(first.port(), pub, away);
    }
    RawMqttClient shortLived = connected(first.port(), "disk-short", true, true, SHORT_EXPIRY_SECONDS, false);
    subscribe(shortLived, "disk/short/#");
    disconnect(shortLived);
    long shortLeftAt = System.currentTimeMillis();
    assertEquals(0, publishAcknowledged(pub, "disk/short/x", 1, 1, "never"));
    for (int i = 0; i < AWAY; i++) { // each acknowledged by the node only once it is on disk
      for (Away away : List.of(v5, v311)) {
        String payload = "away" + i;
        assertEquals(0, publishAcknowledged(pub, away.topic + "/" + i, i % 3 == 0 ? 2 : 1, 10 + i, payload));
        away.expected.add(payload);
      }
    }
    first.kill();
    assertTrue(System.currentTimeMillis() - shortLeftAt < SHORT_EXPIRY_SECONDS * 1000,
      "the short session was still waiting for its client when the node was killed");
    join(pub.close());
    await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() > shortLeftAt + (SHORT_EXPIRY_SECONDS + 1) * 1000);

    StandaloneBrokerProcess.Running second = start(options);
    RawMqttClient pubAgain = connected(second.port(), "disk-pub", true, true, 0, false);
    for (int i = 0; i < AFTER; i++) { // the clients are still away: their subscriptions are on the bus again
      for (Away away : List.of(v5, v311)) {
        String payload = "after" + i;
        assertEquals(0, publishAcknowledged(pubAgain, away.topic + "/after", i % 2 == 0 ? 1 : 2, 40 + i, payload),
          "the subscription of " + away.clientId + " is back before its client");
        away.expected.add(payload);
      }
    }
    assertEquals(0x10, publishAcknowledged(pubAgain, "disk/short/x", 1, 60, "nobody"), "the expired session's subscription is gone");
    for (Away away : List.of(v5, v311)) {
      resumeAndReadAll(second.port(), pubAgain, away);
    }
    RawMqttClient shortAgain = connected(second.port(), "disk-short", true, false, SHORT_EXPIRY_SECONDS, false);
    join(shortAgain.close());
    join(pubAgain.close());
  }

  /**
   * An independent client, {@code mosquitto_sub -c} over MQTT 3.1.1: it subscribes and leaves
   * ({@code -E}); after the kill and the restart it connects subscribing to an unrelated topic only,
   * and gets every message acknowledged while it was away through the subscription the node kept. The
   * node keeps its retained messages in a store of their own beside the sessions': a message
   * {@code mosquitto_pub -r} retained before the kill reaches a new subscriber after it.
   */
  @Test
  void givenMosquittoSubsPersistentSession_whenTheNodeIsKilledWithKill9AndRestarted_thenItGetsEveryMessageThroughItsKeptSubscription()
    throws Exception {
    MqttBrokerOptions options = BrokerPeers.onFreePort().setSessionStorePath(dir.resolve("sessions.mv").toString())
      .setRetainedStorePath(dir.resolve("retained.mv").toString());
    StandaloneBrokerProcess.Running first = start(options);
    Process retained = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(first.port()),
      "-V", "mqttv311", "-q", "1", "-r", "-t", "disk/kept", "-m", "kept").redirectErrorStream(true).start();
    assertTrue(retained.waitFor(30, TimeUnit.SECONDS), "mosquitto_pub had its retained message acknowledged");
    assertEquals(0, retained.exitValue());
    Process subscribed = mosquittoSub(first.port(), "disk/mosq/#", "-E");
    assertTrue(subscribed.waitFor(30, TimeUnit.SECONDS), "mosquitto_sub subscribed and left");
    assertEquals(0, subscribed.exitValue());
    List<String> expected = new ArrayList<>();
    RawMqttClient pub = connected(first.port(), "mosq-pub", true, true, 0, false);
    for (int i = 0; i < 10; i++) {
      assertEquals(0, publishAcknowledged(pub, "disk/mosq/" + i, i % 2 == 0 ? 1 : 2, 1 + i, "m" + i));
      expected.add("disk/mosq/" + i + " m" + i);
    }
    first.kill();
    join(pub.close());

    StandaloneBrokerProcess.Running second = start(options);
    RawMqttClient pubAgain = connected(second.port(), "mosq-pub", true, true, 0, false);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, publishAcknowledged(pubAgain, "disk/mosq/after", 1, 20 + i, "n" + i));
      expected.add("disk/mosq/after n" + i);
    }
    join(pubAgain.close());
    Process resumed = mosquittoSub(second.port(), "unrelated/none", "-v", "-C", String.valueOf(expected.size()), "-W", "30");
    String output = new String(resumed.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(resumed.waitFor(30, TimeUnit.SECONDS));
    assertEquals(expected, List.of(output.split("\n")));
    Process newcomer = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(second.port()),
      "-V", "mqttv311", "-i", "disk-newcomer", "-t", "disk/kept", "-v", "-C", "1", "-W", "30").redirectErrorStream(true).start();
    String kept = new String(newcomer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(newcomer.waitFor(30, TimeUnit.SECONDS));
    assertEquals("disk/kept kept", kept, "the retained message came back from its own store");
  }

  private static Process mosquittoSub(int port, String topic, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port),
      "-V", "mqttv311", "-c", "-i", "disk-mosq", "-q", "1", "-t", topic));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * {@code away} subscribes, gets three QoS 1 messages it does not acknowledge and a QoS 2 one it
   * answers with PUBREC only, and disconnects.
   */
  private void leaveWithMessagesInFlight(int port, RawMqttClient pub, Away away) throws Exception {
    RawMqttClient sub = connected(port, away.clientId, away.v5, away.v5, away.v5 ? 300 : 0, false);
    subscribe(sub, away.topic + "/#");
    for (int i = 0; i < 3; i++) {
      assertEquals(0, publishAcknowledged(pub, away.topic + "/live", 1, 1 + i, "live" + i));
      away.expected.add("live" + i);
      away.unacked.add(((MqttPublishMessage) join(sub.next(WAIT))).variableHeader().packetId());
    }
    assertEquals(0, publishAcknowledged(pub, away.topic + "/live", 2, 4, "released"));
    MqttPublishMessage qos2 = (MqttPublishMessage) join(sub.next(WAIT));
    away.releasedPacketId = qos2.variableHeader().packetId();
    join(sub.send(ack(MqttMessageType.PUBREC, away.releasedPacketId)));
    MqttMessage pubrel = join(sub.next(WAIT));
    assertEquals(MqttMessageType.PUBREL, pubrel.fixedHeader().messageType());
    disconnect(sub);
  }

  /**
   * {@code away} resumes: Session Present, its unacknowledged deliveries again with DUP under their
   * packet ids, PUBREL (not the PUBLISH again) for the one it PUBREC'd, then every message in order,
   * none twice.
   */
  private void resumeAndReadAll(int port, RawMqttClient pub, Away away) throws Exception {
    RawMqttClient sub = connected(port, away.clientId, away.v5, false, away.v5 ? 300 : 0, true);
    List<String> got = new ArrayList<>();
    Set<Integer> recReceived = new HashSet<>(Set.of(away.releasedPacketId));
    boolean released = false;
    while (got.size() < away.expected.size()) {
      MqttMessage m = join(sub.next(WAIT));
      if (m.fixedHeader().messageType() == MqttMessageType.PUBREL) {
        int packetId = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
        assertTrue(recReceived.remove(packetId), "PUBREL only for a delivery whose PUBREC came: " + packetId);
        released |= packetId == away.releasedPacketId;
        join(sub.send(ack(MqttMessageType.PUBCOMP, packetId)));
        continue;
      }
      MqttPublishMessage p = (MqttPublishMessage) m;
      String payload = p.payload().toString(StandardCharsets.UTF_8);
      assertFalse(payload.equals("released"), "the PUBREC'd QoS 2 message is not published a second time");
      if (got.size() < away.unacked.size()) {
        assertTrue(p.fixedHeader().isDup(), "an unacknowledged delivery is sent again with DUP: " + payload);
        assertEquals(away.unacked.get(got.size()), p.variableHeader().packetId());
      }
      got.add(payload);
      boolean qos2 = p.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE;
      if (qos2) {
        recReceived.add(p.variableHeader().packetId());
      }
      join(sub.send(ack(qos2 ? MqttMessageType.PUBREC : MqttMessageType.PUBACK, p.variableHeader().packetId())));
    }
    assertEquals(away.expected, got, away.clientId);
    assertTrue(released, away.clientId + " got the PUBREL of its PUBREC'd message");
    assertEquals(0, publishAcknowledged(pub, away.topic + "/last", 1, 70, "last"));
    for (MqttMessage m = join(sub.next(WAIT)); ; m = join(sub.next(WAIT))) {
      if (m.fixedHeader().messageType() == MqttMessageType.PUBREL) { // of a QoS 2 delivery acknowledged above
        join(sub.send(ack(MqttMessageType.PUBCOMP, ((MqttMessageIdVariableHeader) m.variableHeader()).messageId())));
        continue;
      }
      assertEquals("last", ((MqttPublishMessage) m).payload().toString(StandardCharsets.UTF_8), "nothing came twice before it");
      break;
    }
    join(sub.close());
  }

  private RawMqttClient connected(int port, String clientId, boolean v5, boolean cleanStart, int expiry, boolean expectPresent)
    throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(vertx, "127.0.0.1", port, v5));
    join(client.send(BrokerPeers.connect(clientId, v5, cleanStart, expiry)));
    MqttConnAckMessage connack = (MqttConnAckMessage) join(client.next(WAIT));
    assertEquals(expectPresent, connack.variableHeader().isSessionPresent(), "Session Present of " + clientId);
    return client;
  }

  private static void subscribe(RawMqttClient client, String filter) throws Exception {
    join(client.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, filter).build()));
    assertEquals(MqttMessageType.SUBACK, join(client.next(WAIT)).fixedHeader().messageType());
  }

  /** A normal DISCONNECT; returns once the broker closed the connection, so the session is detached. */
  private static void disconnect(RawMqttClient client) throws Exception {
    join(client.send(Buffer.buffer(new byte[] {(byte) 0xE0, 0x00})));
    join(client.untilClosed(WAIT));
  }

  /** Publishes at {@code qos} 1 or 2 and returns once the broker acknowledged it (PUBACK, or PUBREC and PUBCOMP), with the reason code. */
  private static int publishAcknowledged(RawMqttClient pub, String topic, int qos, int packetId, String payload) throws Exception {
    join(pub.send(publish(topic, qos, packetId, false, payload)));
    MqttMessage answer = join(pub.next(WAIT));
    assertEquals(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, answer.fixedHeader().messageType());
    int reason = answer.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() & 0xFF : 0;
    if (qos == 2) {
      join(pub.send(ack(MqttMessageType.PUBREL, packetId)));
      assertEquals(MqttMessageType.PUBCOMP, join(pub.next(WAIT)).fixedHeader().messageType());
    }
    return reason;
  }
}
