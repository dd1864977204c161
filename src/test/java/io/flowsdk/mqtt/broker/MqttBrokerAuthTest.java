package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.PacketFactory;
import io.flowsdk.mqtt.testing.PacketSummary;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.security.PasswordHash;
import io.flowsdk.testing.TestPki;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication: users with PBKDF2 password hashes, a listener without anonymous access beside one
 * with it, and a TLS listener whose client certificates name the user. Raw CONNECTs for the exact
 * CONNACK codes, mosquitto_pub for an independent client.
 */
class MqttBrokerAuthTest {

  @TempDir
  static Path dir;
  static TestPki pki;
  static BrokerPeers peers;
  static int closedPort;
  static int openPort;
  static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    MqttBrokerOptions options = new MqttBrokerOptions()
      .setListeners(List.of(
        new MqttListenerOptions().setPort(0).setAllowAnonymous(false),
        new MqttListenerOptions().setPort(0),
        new MqttListenerOptions().setPort(0).setTls(true).setTlsCertPath(pki.serverCert().toString())
          .setTlsKeyPath(pki.serverKey().toString()).setTlsClientCaPath(pki.caCert().toString())
          .setClientAuth(ClientAuth.REQUIRED).setCertificateUsername(true).setAllowAnonymous(false)))
      .addUser(new MqttUserOptions().setUsername("alice").setPasswordHash(PasswordHash.hash("wonderland", 1000)))
      // the certificate's CN is the username: only sensor-7 may publish under sensors/sensor-7/
      .addAclRule(new MqttAclRuleOptions().setAccess(List.of(MqttAclRuleOptions.Access.PUBLISH)).addTopic("sensors/%u/#"))
      .addAclRule(new MqttAclRuleOptions().setUser("alice").addTopic("#"));
    peers = BrokerPeers.start(options);
    closedPort = peers.broker.ports().get(0);
    openPort = peers.broker.ports().get(1);
    tlsPort = peers.broker.ports().get(2);
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static Counter refused(String reason) {
    return FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_connect_refused_total", "reason", reason);
  }

  /** The CONNACK code a CONNECT gets, and that a refused one is followed by the close. */
  private static int connack(int port, boolean v5, String username, String password) throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", port, v5));
    try {
      var connect = (v5 ? RawPacket.v5() : RawPacket.v311()).connect().clientId("auth-" + username + "-" + v5);
      if (username != null) {
        connect.username(username).password(password.getBytes(StandardCharsets.UTF_8));
      }
      join(client.send(connect.build()));
      PacketSummary ack = PacketSummary.of(join(client.next(Duration.ofSeconds(10))));
      assertEquals(MqttMessageType.CONNACK, ack.type());
      if (ack.reasonCode() != 0) {
        join(client.awaitClose(Duration.ofSeconds(5)));
      }
      return ack.reasonCode();
    } finally {
      join(client.close());
    }
  }

  @ParameterizedTest
  @CsvSource({"true, 0x86", "false, 0x04"})
  void givenUsers_whenTheRightPasswordThenAWrongOneAndAnUnknownUser_thenAcceptedThenBadCredentialsTwiceAndCounted(
    boolean v5, String badCredentials) throws Exception {
    double before = refused("bad_credentials").count();
    assertEquals(0, connack(closedPort, v5, "alice", "wonderland"));
    assertEquals(Integer.decode(badCredentials), connack(closedPort, v5, "alice", "looking-glass"));
    assertEquals(Integer.decode(badCredentials), connack(closedPort, v5, "mallory", "wonderland"));
    assertEquals(before + 2, refused("bad_credentials").count());
  }

  @ParameterizedTest
  @CsvSource({"true, 0x87", "false, 0x05"})
  void givenAListenerWithoutAnonymousAccess_whenNoCredentials_thenNotAuthorizedWhileTheOpenListenerAcceptsIt(boolean v5,
    String notAuthorized) throws Exception {
    double before = refused("not_authorized").count();
    assertEquals(Integer.decode(notAuthorized), connack(closedPort, v5, null, null));
    assertEquals(before + 1, refused("not_authorized").count());
    assertEquals(0, connack(openPort, v5, null, null));
  }

  @Test
  void givenMosquittoPub_whenItSendsTheRightPasswordThenAWrongOne_thenTheFirstIsPublishedAndTheSecondRefused() throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("auth/pub", onBus::add));
    for (String version : List.of("mqttv311", "mqttv5")) {
      peers.mosquittoPubAt(closedPort, version, "-u", "alice", "-P", "wonderland", "-q", "1", "-t", "auth/pub", "-m", version);
      String failure = peers.mosquittoPubFailure(closedPort, version, "-u", "alice", "-P", "nope", "-q", "1", "-t", "auth/pub",
        "-m", "wrong-" + version);
      assertNotNull(failure, "a wrong password is refused");
      assertTrue(failure.toLowerCase().contains("password") || failure.toLowerCase().contains("not authori"), failure);
    }
    await().until(() -> onBus.size() == 2);
    assertEquals("mqttv311,mqttv5", onBus.get(0).payload() + "," + onBus.get(1).payload());
  }

  @Test
  void givenCertificateUsernames_whenSensor7PublishesWithItsCertificate_thenItMayPublishUnderItsNameOnly() throws Exception {
    TestPki.ClientCertificate sensor = pki.clientCertificate("sensor-7");
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe("sensors/#", onBus::add));
    String[] tls = {"--cafile", pki.caCert().toString(), "--cert", sensor.cert().toString(), "--key", sensor.key().toString()};
    peers.mosquittoPubAt(tlsPort, "mqttv5", concat(tls, "-q", "1", "-t", "sensors/sensor-8/temp", "-m", "spoofed"));
    peers.mosquittoPubAt(tlsPort, "mqttv5", concat(tls, "-q", "1", "-t", "sensors/sensor-7/temp", "-m", "21.5"));
    await().until(() -> !onBus.isEmpty());
    assertEquals("sensors/sensor-7/temp 21.5", onBus.get(0).topic() + " " + onBus.get(0).payload());
    assertEquals(1, onBus.size(), "the publish to another sensor's topic was denied");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** MQTT lets a client send packets right behind its CONNECT; they wait while its password is checked. */
  @ParameterizedTest
  @CsvSource({"true", "false"})
  void givenAPasswordBeingChecked_whenAPublishFollowsTheConnectInTheSameWrite_thenItIsTakenAfterTheConnack(boolean v5) throws Exception {
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    String topic = "auth/pipelined/" + v5;
    join(peers.bus.subscribe(topic, onBus::add));
    RawMqttClient client = join(RawMqttClient.connect(peers.vertx, "127.0.0.1", closedPort, v5));
    try {
      PacketFactory packets = v5 ? RawPacket.v5() : RawPacket.v311();
      join(client.send(packets.connect().clientId("pipelined-" + v5).username("alice")
          .password("wonderland".getBytes(StandardCharsets.UTF_8)).build(),
        packets.publish().topic(topic).qos(1).packetId(7).payload("behind the CONNECT").build()));

      assertEquals("CONNACK 0x00", PacketSummary.of(join(client.next(Duration.ofSeconds(10)))).toString());
      PacketSummary ack = PacketSummary.of(join(client.next(Duration.ofSeconds(10))));
      assertEquals(MqttMessageType.PUBACK, ack.type(), "the connection stays open and the PUBLISH is taken");
      await().atMost(Duration.ofSeconds(10)).until(() -> onBus.size() == 1);
      assertEquals("behind the CONNECT", onBus.get(0).payload().toString());
    } finally {
      join(client.close());
    }
  }
}
