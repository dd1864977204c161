package io.flowsdk.mqtt.broker;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions.Access;
import io.flowsdk.mqtt.testing.PacketSummary;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.security.PasswordHash;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Access control with independent clients (mosquitto_pub / mosquitto_sub 3.1.1 and 5, the HiveMQ
 * client) and raw packets for the exact SUBACK codes: alice publishes under data/alice/, bob
 * subscribes to data/# but receives only data/+/public, a dev-* client owns devices/[its id]/.
 */
class MqttBrokerAclTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    MqttBrokerOptions options = BrokerPeers.onFreePort()
      .addUser(new MqttUserOptions().setUsername("alice").setPasswordHash(PasswordHash.hash("a-pass", 1000)))
      .addUser(new MqttUserOptions().setUsername("bob").setPasswordHash(PasswordHash.hash("b-pass", 1000)))
      .addAclRule(new MqttAclRuleOptions().setUser("alice").setAccess(List.of(Access.PUBLISH)).addTopic("data/%u/#"))
      .addAclRule(new MqttAclRuleOptions().setUser("bob").setAccess(List.of(Access.SUBSCRIBE)).addTopic("data/#"))
      .addAclRule(new MqttAclRuleOptions().setUser("bob").setAccess(List.of(Access.RECEIVE)).addTopic("data/+/public"))
      .addAclRule(new MqttAclRuleOptions().setClientIdRegex("dev-.*").addTopic("devices/%c/#"));
    peers = BrokerPeers.start(options);
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static Counter denied(Access access) {
    return FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_denied_total", "access", access.name().toLowerCase());
  }

  @Test
  void givenHiveMqAsAlice_whenItPublishesUnderItsNameAndUnderBobs_thenTheFirstArrivesAndTheSecondGetsPuback0x87()
    throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("data/#", onBus::add));
    Mqtt5AsyncClient alice = Mqtt5Client.builder().identifier("alice-hive").serverHost("127.0.0.1").serverPort(peers.port)
      .simpleAuth().username("alice").password("a-pass".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync();
    alice.connect().get(10, TimeUnit.SECONDS);
    try {
      Mqtt5PublishResult.Mqtt5Qos1Result mine = (Mqtt5PublishResult.Mqtt5Qos1Result) alice.publishWith()
        .topic("data/alice/hive").qos(MqttQos.AT_LEAST_ONCE).payload("mine".getBytes()).send().get(10, TimeUnit.SECONDS);
      ExecutionException bobs = assertThrows(ExecutionException.class, () -> alice.publishWith()
        .topic("data/bob/hive").qos(MqttQos.AT_LEAST_ONCE).payload("bobs".getBytes()).send().get(10, TimeUnit.SECONDS));
      assertEquals(Mqtt5PubAckReasonCode.SUCCESS, mine.getPubAck().getReasonCode());
      assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, ((Mqtt5PubAckException) bobs.getCause()).getMqttMessage().getReasonCode());
    } finally {
      alice.disconnect().get(10, TimeUnit.SECONDS);
    }
    await().until(() -> !onBus.isEmpty());
    assertEquals(List.of("data/alice/hive"), onBus.stream().map(FlowMessage::topic).toList());
  }

  @Test
  void givenMosquittoPub311AsAlice_whenItPublishesUnderBobsAtQos1And2_thenBothAreAcknowledgedDroppedAndCounted()
    throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("data/#", onBus::add));
    double before = denied(Access.PUBLISH).count();
    String[] alice = {"-u", "alice", "-P", "a-pass"};
    peers.mosquittoPub("mqttv311", concat(alice, "-q", "1", "-t", "data/bob/q1", "-m", "x"));
    peers.mosquittoPub("mqttv311", concat(alice, "-q", "2", "-t", "data/bob/q2", "-m", "x"));
    peers.mosquittoPub("mqttv311", concat(alice, "-q", "1", "-t", "data/alice/marker", "-m", "x"));
    await().until(() -> !onBus.isEmpty());
    assertEquals(List.of("data/alice/marker"), onBus.stream().map(FlowMessage::topic).toList());
    assertEquals(before + 2, denied(Access.PUBLISH).count());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenMosquittoSubAsBob_whenAlicePublishesPrivateThenPublic_thenBobReceivesOnlyThePublicOne(String version)
    throws Exception {
    double before = denied(Access.RECEIVE).count();
    Process sub = peers.mosquittoSub(version, "data/#", "-u", "bob", "-P", "b-pass", "-q", "1", "-C", "1", "-F", "%t %p");
    String[] alice = {"-u", "alice", "-P", "a-pass", "-q", "1"};
    peers.mosquittoPub(version, concat(alice, "-t", "data/alice/private", "-m", "secret"));
    peers.mosquittoPub(version, concat(alice, "-t", "data/alice/public", "-m", "hello"));
    assertEquals("data/alice/public hello", BrokerPeers.output(sub));
    assertEquals(before + 1, denied(Access.RECEIVE).count());
  }

  @ParameterizedTest
  @CsvSource({"true, 0x87", "false, 0x80"})
  void givenClientDev1_whenItSubscribesToItsDevicesAndAnothersAndAliceToData_thenOnlyItsOwnIsGranted(boolean v5,
    String deniedCode) throws Exception {
    int denied = Integer.decode(deniedCode);
    assertEquals(List.of(1, denied), subAck(v5, "dev-1", null, "devices/dev-1/#", "devices/dev-2/#"));
    assertEquals(List.of(denied), subAck(v5, "alice-sub", "alice", "data/#"));
    assertEquals(List.of(1, denied), subAck(v5, "bob-sub", "bob", "data/+/public", "$share/g/devices/#"));
  }

  @Test
  void givenAnyClient_whenItPublishesToSys_thenItIsDeniedAndNothingArrives() throws Exception {
    RawMqttClient client = connected(true, "dev-sys", null);
    try {
      join(client.send(RawPacket.v5().publish().topic("$SYS/broker/nodes/x/uptime").qos(1).packetId(1).payload("0").build()));
      assertEquals("PUBACK 0x87", PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).toString());
    } finally {
      join(client.close());
    }
  }

  private static List<Integer> subAck(boolean v5, String clientId, String user, String... filters) throws Exception {
    RawMqttClient client = connected(v5, clientId, user);
    try {
      var subscribe = (v5 ? RawPacket.v5() : RawPacket.v311()).subscribe().packetId(7);
      for (String f : filters) {
        subscribe.filter(f, 1);
      }
      join(client.send(subscribe.build()));
      MqttSubAckMessage ack = (MqttSubAckMessage) join(client.next(Duration.ofSeconds(5)));
      return ack.payload().reasonCodes();
    } finally {
      join(client.close());
    }
  }

  private static RawMqttClient connected(boolean v5, String clientId, String user) throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, v5));
    var connect = (v5 ? RawPacket.v5() : RawPacket.v311()).connect().clientId(clientId);
    if (user != null) {
      connect.username(user).password((user.charAt(0) + "-pass").getBytes(StandardCharsets.UTF_8));
    }
    join(client.send(connect.build()));
    PacketSummary ack = PacketSummary.of(join(client.next(Duration.ofSeconds(10))));
    assertEquals(MqttMessageType.CONNACK + " 0x00", ack.toString());
    return client;
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
