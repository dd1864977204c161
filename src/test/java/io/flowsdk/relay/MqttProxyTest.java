package io.flowsdk.relay;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.security.PasswordHash;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.testing.PahoArrivals;
import io.flowsdk.testing.TestPki;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.flowsdk.relay.MosquittoCliClients.output;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordinary MQTT clients (mosquitto_pub / mosquitto_sub 3.1.1 and 5.0, the HiveMQ client, Eclipse Paho v5,
 * raw sockets) → the MQTT proxy → real Mosquittos: the data path through one broker (QoS 0/1/2, retained,
 * will, 1 MB, topic aliases under an ACL, WebSocket and client-certificate listeners, a TLS broker),
 * stickiness and session resume across three, a broker killed, a broker that never answers CONNECT, a
 * client that never reads, wrong and missing credentials, ACL denials in both versions, rate limits and
 * the proxy stopping. After every test the proxy carries no session.
 */
class MqttProxyTest {

  @RegisterExtension
  static MosquittoBroker one = MosquittoBroker.create();
  @RegisterExtension
  static MosquittoBroker two = MosquittoBroker.create();
  @RegisterExtension
  static MosquittoBroker three = MosquittoBroker.create();

  private Vertx vertx;
  private int proxyPort;
  private List<Integer> proxyPorts;
  private final MosquittoCliClients cli = new MosquittoCliClients();
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private final List<org.eclipse.paho.mqttv5.client.MqttAsyncClient> pahos = new ArrayList<>();

  private static MqttProxyOptions to(MosquittoBroker... brokers) {
    return new MqttProxyOptions().setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setBrokers(Stream.of(brokers).map(b -> new UpstreamAddressOptions(b.host(), b.port())).toList());
  }

  private void startProxy(MqttProxyOptions options) throws Exception {
    vertx = Vertx.vertx();
    MqttProxyVerticle proxy = new MqttProxyVerticle();
    Futures.join(vertx.deployVerticle(proxy, new DeploymentOptions().setConfig(options.toJson())));
    proxyPort = proxy.actualPort();
    proxyPorts = proxy.actualPorts();
  }

  private double enforced(String reason) {
    return FlowMetrics.registry(vertx).get("flowsdk.relay.proxy.enforced").tag("reason", reason).counter().count();
  }

  @AfterEach
  void sessionsBackToZero() throws Exception {
    for (Mqtt5AsyncClient c : clients) {
      if (c.getState().isConnected()) {
        // the proxy or the broker may end the session between the check and the DISCONNECT
        c.disconnect().handle((done, notConnected) -> done).get(5, TimeUnit.SECONDS);
      }
    }
    for (org.eclipse.paho.mqttv5.client.MqttAsyncClient c : pahos) {
      if (c.isConnected()) {
        c.disconnect().waitForCompletion(5_000);
      }
      c.close();
    }
    cli.destroyAll();
    if (vertx != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "proxy") == 0.0);
      Futures.join(vertx.close());
    }
  }

  private Mqtt5AsyncClient client(String id) {
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(proxyPort).buildAsync();
    clients.add(c);
    return c;
  }

  private Mqtt5AsyncClient connected(String id) throws Exception {
    Mqtt5AsyncClient c = client(id);
    c.connect().get(10, TimeUnit.SECONDS);
    return c;
  }

  /** The broker whose log shows {@code clientId} connecting, {@code times} times. */
  private static MosquittoBroker brokerOf(String clientId, int times) {
    await().atMost(Duration.ofSeconds(10)).until(() -> Stream.of(one, two, three).anyMatch(b -> connects(b, clientId) >= times));
    return Stream.of(one, two, three).filter(b -> connects(b, clientId) >= times).findFirst().orElseThrow();
  }

  private static int connects(MosquittoBroker broker, String clientId) {
    return broker.log().split(" as " + clientId + " ", -1).length - 1;
  }

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
  void givenMosquittoClients_whenARetainedMessageIsPublishedThroughTheProxy_thenASubscriberGetsIt(String version, int qos)
    throws Exception {
    startProxy(to(one));
    String topic = "proxy/cli/" + version + "/" + qos;
    Process pub = cli.toLoopback(proxyPort, "mosquitto_pub", "-V", version, "-q", String.valueOf(qos), "-r", "-t", topic, "-m", "kept " + qos);
    assertEquals("", output(pub));
    assertEquals(0, pub.exitValue());
    Process sub = cli.toLoopback(proxyPort, "mosquitto_sub", "-V", version, "-q", String.valueOf(qos), "-t", topic, "-C", "1", "-W", "10", "-v");
    assertEquals(topic + " kept " + qos, output(sub));
  }

  @Test
  void givenAHiveMqClient_whenItPublishesOneMegabyteAtQos2_thenTheSubscriberGetsEveryByte() throws Exception {
    startProxy(to(one));
    Mqtt5AsyncClient sub = connected("proxy-big-sub");
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    sub.subscribeWith().topicFilter("proxy/big").qos(MqttQos.EXACTLY_ONCE).callback(got::add).send().get(10, TimeUnit.SECONDS);
    byte[] payload = new byte[1024 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    connected("proxy-big-pub").publishWith().topic("proxy/big").qos(MqttQos.EXACTLY_ONCE).payload(payload).send()
      .get(10, TimeUnit.SECONDS);
    Mqtt5Publish received = got.poll(15, TimeUnit.SECONDS);
    assertNotNull(received, "the 1 MB message did not arrive");
    assertArrayEquals(payload, received.getPayloadAsBytes());
    assertEquals(MqttQos.EXACTLY_ONCE, received.getQos());
  }

  @ParameterizedTest(name = "QoS {0}")
  @CsvSource({"1", "2"})
  void givenPahoClients_whenTheyExchangeMessagesThroughTheProxy_thenEachArrivesOnceInOrderAtItsQos(int qos) throws Exception {
    startProxy(to(one));
    LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    org.eclipse.paho.mqttv5.client.MqttAsyncClient sub = paho("proxy-paho-sub-" + qos);
    sub.setCallback(new PahoArrivals((topic, message) ->
      arrived.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8) + " " + message.getQos())));
    sub.connect().waitForCompletion(10_000);
    sub.subscribe("proxy/paho" + qos, qos).waitForCompletion(10_000);
    org.eclipse.paho.mqttv5.client.MqttAsyncClient pub = paho("proxy-paho-pub-" + qos);
    pub.connect().waitForCompletion(10_000);
    for (int i = 0; i < 5; i++) {
      pub.publish("proxy/paho" + qos, ("m" + i).getBytes(StandardCharsets.UTF_8), qos, false).waitForCompletion(10_000);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("proxy/paho" + qos + " m" + i + " " + qos, arrived.poll(10, TimeUnit.SECONDS));
    }
    assertEquals(null, arrived.poll(200, TimeUnit.MILLISECONDS), "a message arrived twice");
  }

  private org.eclipse.paho.mqttv5.client.MqttAsyncClient paho(String id) throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient c = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
      "tcp://127.0.0.1:" + proxyPort, id, null);
    pahos.add(c);
    return c;
  }

  @Test
  void givenConnectedClients_whenTheProxyIsUndeployed_thenAnMqtt5ClientGets0x9CAndNoSessionIsLeft() throws Exception {
    startProxy(to(one));
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("proxy-stopping").serverHost("127.0.0.1").serverPort(proxyPort)
      .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildAsync();
    clients.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    Futures.join(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
    Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, cause.get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER, e.getMqttMessage().getReasonCode());
    assertEquals("the MQTT proxy is stopping", e.getMqttMessage().getReasonString().orElseThrow().toString());
    assertEquals(0.0, RelayFixture.sessions(vertx, "proxy"));
  }

  @Test
  void givenAClientWithAWill_whenItVanishes_thenMosquittoPublishesTheWillThroughTheProxy() throws Exception {
    startProxy(to(one));
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    connected("proxy-will-watcher").subscribeWith().topicFilter("proxy/will").qos(MqttQos.AT_LEAST_ONCE).callback(got::add)
      .send().get(10, TimeUnit.SECONDS);
    Process doomed = cli.toLoopback(proxyPort, "mosquitto_sub", "-V", "mqttv311", "-i", "proxy-doomed", "-t", "proxy/none",
      "--will-topic", "proxy/will", "--will-payload", "gone", "--will-qos", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "proxy") == 2.0 && connects(one, "proxy-doomed") == 1);
    doomed.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    Mqtt5Publish will = got.poll(15, TimeUnit.SECONDS);
    assertNotNull(will, "the will did not arrive");
    assertEquals("gone", new String(will.getPayloadAsBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void givenAnAclOnAliasedTopics_whenAClientPublishesByTopicAliasOnly_thenThePermittedOnesArriveAndTheDeniedOnesGet0x87()
    throws Exception {
    startProxy(to(one).addAclRule(new MqttAclRuleOptions().addTopic("alias/ok/#")));
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    connected("proxy-alias-sub").subscribeWith().topicFilter("alias/ok/#").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send()
      .get(10, TimeUnit.SECONDS);
    Mqtt5AsyncClient pub = client("proxy-alias-pub");
    pub.connectWith().restrictions().sendTopicAliasMaximum(4).applyRestrictions().send().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      pub.publishWith().topic("alias/ok/t").qos(MqttQos.AT_LEAST_ONCE).payload(("ok " + i).getBytes(StandardCharsets.UTF_8))
        .send().get(10, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals("ok " + i, new String(got.poll(10, TimeUnit.SECONDS).getPayloadAsBytes(), StandardCharsets.UTF_8),
        "the 2nd and 3rd carried only the alias, which the proxy resolved");
    }
    for (int i = 0; i < 2; i++) {
      ExecutionException failed = assertThrows(ExecutionException.class,
        () -> pub.publishWith().topic("alias/no/t").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS));
      Mqtt5PubAckException e = assertInstanceOf(Mqtt5PubAckException.class, failed.getCause());
      assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode());
    }
    assertEquals(2.0, enforced("publish_denied"));
    assertTrue(one.log().contains("'alias/ok/t'") && !one.log().contains("'alias/no/t'"), "a denied message reached the broker");
  }

  @Test
  void givenThreeBrokers_whenAPersistentSessionIsCutAndResumed_thenItLandsOnTheSameBrokerAndGetsWhatWasQueued() throws Exception {
    startProxy(to(one, two, three));
    Mqtt5AsyncClient sub = client("proxy-resume");
    sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send().get(10, TimeUnit.SECONDS);
    sub.subscribeWith().topicFilter("proxy/resume").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    sub.disconnect().get(10, TimeUnit.SECONDS);
    MosquittoBroker home = brokerOf("proxy-resume", 1);
    // published on the session's broker directly while the client is away
    Process pub = cli.start(List.of("mosquitto_pub", "-h", home.host(), "-p", String.valueOf(home.port()), "-q", "1",
      "-t", "proxy/resume", "-m", "queued"));
    assertEquals("", output(pub));
    LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient again = client("proxy-resume");
    again.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, got::add);
    assertTrue(again.connectWith().cleanStart(false).sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS).isSessionPresent());
    assertEquals(home, brokerOf("proxy-resume", 2), "the reconnect landed on the broker it left");
    assertEquals("queued", new String(got.poll(10, TimeUnit.SECONDS).getPayloadAsBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void givenThreeBrokers_whenTheClientsBrokerIsKilled_thenTheClientGets0x9CAndItsReconnectLandsOnALiveBroker() throws Exception {
    startProxy(to(one, two, three));
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    Mqtt5AsyncClient victim = Mqtt5Client.builder().identifier("proxy-victim").serverHost("127.0.0.1").serverPort(proxyPort)
      .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildAsync();
    clients.add(victim);
    victim.connect().get(10, TimeUnit.SECONDS);
    MosquittoBroker home = brokerOf("proxy-victim", 1);
    home.kill();
    try {
      Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, cause.get(15, TimeUnit.SECONDS));
      assertEquals(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER, e.getMqttMessage().getReasonCode());
      assertEquals("the broker " + home.host() + ":" + home.port() + " closed the connection",
        e.getMqttMessage().getReasonString().orElseThrow().toString());
      connected("proxy-victim");
      MosquittoBroker next = Stream.of(one, two, three).filter(b -> b != home)
        .filter(b -> connects(b, "proxy-victim") == 1).findFirst().orElseThrow();
      assertNotEquals(home, next);
      assertEquals(1.0, FlowMetrics.registry(vertx).get(RelayMetrics.UPSTREAM_FAILURES).tag("side", "proxy").counter().count(),
        "the dead broker was tried once, refused, and the next on the ring taken");
    } finally {
      home.start();
    }
  }

  @Test
  void givenABrokerThatNeverAnswersConnect_whenClientsConnect_thenMqtt5Gets0x88AndMqtt311GetsReturnCode3() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test ended
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      startProxy(to(one).setBrokers(List.of(new UpstreamAddressOptions("127.0.0.1", silent.getLocalPort())))
        .setBrokerConnectTimeoutMillis(500));
      ExecutionException failed = assertThrows(ExecutionException.class, () -> client("proxy-silent5").connect().get(10, TimeUnit.SECONDS));
      Mqtt5ConnAckException e = assertInstanceOf(Mqtt5ConnAckException.class, failed.getCause());
      assertEquals(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, e.getMqttMessage().getReasonCode());
      assertEquals("the broker 127.0.0.1:" + silent.getLocalPort() + " did not answer CONNECT within 500 ms",
        e.getMqttMessage().getReasonString().orElseThrow().toString());
      try (Socket raw = new Socket("127.0.0.1", proxyPort)) {
        raw.getOutputStream().write(connect311("proxy-silent3"));
        assertArrayEquals(new byte[] {0x20, 2, 0, 3}, raw.getInputStream().readNBytes(4));
      }
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** A 3.1.1 CONNECT with clean session, keep-alive 0 and {@code clientId} (ASCII). */
  private static byte[] connect311(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[14 + id.length];
    byte[] head = {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, (byte) id.length};
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(id, 0, out, head.length, id.length);
    return out;
  }

  @Test
  void givenUsers_whenAClientHasTheWrongPassword_thenMqtt5Gets0x86AndMqtt311GetsReturnCode4() throws Exception {
    startProxy(to(one).setListeners(List.of(new MqttListenerOptions().setPort(0).setAllowAnonymous(false)))
      .addUser(new MqttUserOptions().setUsername("alice").setPasswordHash(PasswordHash.hash("right", PasswordHash.MIN_ITERATIONS))));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> client("proxy-wrong").connectWith()
      .simpleAuth().username("alice").password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
      assertInstanceOf(Mqtt5ConnAckException.class, failed.getCause()).getMqttMessage().getReasonCode());
    Process pub = cli.toLoopback(proxyPort, "mosquitto_pub", "-V", "mqttv311", "-u", "alice", "-P", "wrong", "-t", "x", "-m", "x");
    assertTrue(output(pub).contains("bad user name or password"), "3.1.1: return code 4");
    Process anonymous = cli.toLoopback(proxyPort, "mosquitto_pub", "-V", "mqttv5", "-t", "x", "-m", "x");
    assertTrue(output(anonymous).contains("Not authorized"), "no credentials on a listener without anonymous access: 0x87");
    assertEquals(2.0, enforced("bad_credentials"));
    assertEquals(1.0, enforced("not_authorized"));
    client("proxy-right").connectWith().simpleAuth().username("alice").password("right".getBytes(StandardCharsets.UTF_8))
      .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
    assertEquals(0, connects(one, "proxy-wrong"), "a refused client never reached the broker");
  }

  @Test
  void givenAnAcl_whenAClientSubscribesToADeniedAndAPermittedFilterAtOnceOrSetsADeniedWill_thenItHears0x87ForWhatWasDenied()
    throws Exception {
    startProxy(to(one).addAclRule(new MqttAclRuleOptions().addTopic("mine/#")));
    Mqtt5AsyncClient c = connected("proxy-acl-sub");
    Mqtt5SubAck subAck;
    try {
      subAck = c.subscribeWith().addSubscription().topicFilter("theirs/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .addSubscription().topicFilter("mine/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription().send().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      subAck = assertInstanceOf(Mqtt5SubAckException.class, e.getCause()).getMqttMessage();
    }
    assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1), subAck.getReasonCodes());
    Process v3 = cli.toLoopback(proxyPort, "mosquitto_sub", "-V", "mqttv311", "-t", "theirs/#", "-W", "5");
    assertTrue(output(v3).contains("All subscription requests were denied"), "3.1.1 hears 0x80, as from the broker");
    assertEquals(2.0, enforced("subscribe_denied"));
    Process will = cli.toLoopback(proxyPort, "mosquitto_sub", "-V", "mqttv5", "-i", "proxy-bad-will", "-t", "mine/x", "-W", "5",
      "--will-topic", "theirs/will", "--will-payload", "x");
    assertTrue(output(will).contains("Not authorized"), "a will the ACL does not permit refuses the CONNECT with 0x87");
    assertEquals(1.0, enforced("not_authorized"));
    assertEquals(0, connects(one, "proxy-bad-will"));
  }

  @Test
  void givenAnAcl_whenAnMqtt311ClientPublishesToADeniedTopicAtQos1And2_thenItIsAcknowledgedAsTheBrokerDoesAndNothingReachesIt()
    throws Exception {
    startProxy(to(one).addAclRule(new MqttAclRuleOptions().addTopic("mine/#")));
    try (Socket raw = new Socket("127.0.0.1", proxyPort)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(connect311("proxy-v3-denied"));
      assertArrayEquals(new byte[] {0x20, 2, 0, 0}, raw.getInputStream().readNBytes(4));
      // PUBLISH QoS 1 id 8 and QoS 2 id 7 to "theirs" ("x" as payload)
      raw.getOutputStream().write(new byte[] {0x32, 11, 0, 6, 't', 'h', 'e', 'i', 'r', 's', 0, 8, 'x',
        0x34, 11, 0, 6, 't', 'h', 'e', 'i', 'r', 's', 0, 7, 'x'});
      assertArrayEquals(new byte[] {0x40, 2, 0, 8, 0x50, 2, 0, 7}, raw.getInputStream().readNBytes(8), "PUBACK 8, PUBREC 7");
      raw.getOutputStream().write(new byte[] {0x62, 2, 0, 7});
      assertArrayEquals(new byte[] {0x70, 2, 0, 7}, raw.getInputStream().readNBytes(4), "the proxy completes the flow it refused");
    }
    assertEquals(2.0, enforced("publish_denied"));
    assertTrue(!one.log().contains("'theirs'") && !one.log().contains("PUBREL from proxy-v3-denied"),
      "neither the PUBLISH nor its PUBREL reached the broker");
  }

  @Test
  void givenAByteRateLimit_whenOneLargeMessagePassesAndTheNextComesAtOnce_thenTheClientGetsDisconnect0x96() throws Exception {
    startProxy(to(one).setPublishBytesPerSecond(1000).setPublishBytesBurst(1000));
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("proxy-bytes").serverHost("127.0.0.1").serverPort(proxyPort)
      .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildAsync();
    clients.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    c.publishWith().topic("proxy/bytes").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[5000]).send().get(10, TimeUnit.SECONDS);
    c.publishWith().topic("proxy/bytes").payload(new byte[10]).send();
    Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, cause.get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH, e.getMqttMessage().getReasonCode());
    assertEquals("more than 1000 PUBLISH bytes a second", e.getMqttMessage().getReasonString().orElseThrow().toString());
    assertEquals(1.0, enforced("byte_rate"));
  }

  @Test
  void givenWebSocketAndCertificateListenersAndATlsBroker_whenClientsPublishOverEach_thenTheTcpSubscriberGetsBoth(
    @TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki.ClientCertificate device = pki.clientCertificate("device-1");
    MosquittoBroker tlsBroker = MosquittoBroker.create().config("certfile " + pki.serverCert()).config("keyfile " + pki.serverKey())
      .start();
    try {
      startProxy(new MqttProxyOptions().setBrokers(List.of(new UpstreamAddressOptions("localhost", tlsBroker.port())))
        .setBrokerTls(true).setBrokerTlsCaPath(pki.caCert().toString())
        .setListeners(List.of(new MqttListenerOptions().setPort(0),
          new MqttListenerOptions().setPort(0).setTransport(MqttListenerOptions.Transport.WEBSOCKET),
          new MqttListenerOptions().setPort(0).setTls(true).setTlsCertPath(pki.serverCert().toString())
            .setTlsKeyPath(pki.serverKey().toString()).setTlsClientCaPath(pki.caCert().toString())
            .setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED).setCertificateUsername(true).setAllowAnonymous(false)))
        .addAclRule(new MqttAclRuleOptions().setUser("device-1").addTopic("edge/%u"))
        .addAclRule(new MqttAclRuleOptions().setAccess(List.of(MqttAclRuleOptions.Access.PUBLISH)).addTopic("edge/ws"))
        .addAclRule(new MqttAclRuleOptions().setAccess(List.of(MqttAclRuleOptions.Access.SUBSCRIBE)).addTopic("edge/#")));
      Process sub = cli.toLoopback(proxyPort, "mosquitto_sub", "-V", "mqttv5", "-q", "1", "-t", "edge/#", "-C", "2", "-W", "15", "-F", "%t %p");
      await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "proxy") == 1.0 && tlsBroker.log().contains("edge/#"));
      Mqtt5AsyncClient ws = Mqtt5Client.builder().identifier("proxy-ws").serverHost("127.0.0.1").serverPort(proxyPorts.get(1))
        .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildAsync();
      clients.add(ws);
      ws.connect().get(10, TimeUnit.SECONDS);
      ws.publishWith().topic("edge/ws").qos(MqttQos.AT_LEAST_ONCE).payload("over-ws".getBytes(StandardCharsets.UTF_8)).send()
        .get(10, TimeUnit.SECONDS);
      Process tls = cli.start(List.of("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(proxyPorts.get(2)),
        "--cafile", pki.caCert().toString(), "--cert", device.cert().toString(), "--key", device.key().toString(),
        "-V", "mqttv311", "-q", "1", "-t", "edge/device-1", "-m", "over-tls"));
      assertEquals("", output(tls));
      assertEquals("edge/ws over-ws\nedge/device-1 over-tls", output(sub), "edge/device-1 is permitted by its certificate's CN only");
      assertEquals(0.0, enforced("publish_denied"));
    } finally {
      tlsBroker.kill();
    }
  }

  @Test
  void givenARateLimit_whenAClientPublishesFasterThanItsBurst_thenItGetsDisconnect0x96() throws Exception {
    startProxy(to(one).setPublishRatePerSecond(1).setPublishBurst(3));
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("proxy-fast").serverHost("127.0.0.1").serverPort(proxyPort)
      .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildAsync();
    clients.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 10; i++) {
      c.publishWith().topic("proxy/fast").send();
    }
    Mqtt5DisconnectException e = assertInstanceOf(Mqtt5DisconnectException.class, cause.get(10, TimeUnit.SECONDS));
    assertEquals(Mqtt5DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH, e.getMqttMessage().getReasonCode());
    assertEquals(1.0, enforced("message_rate"));
  }

  @Test
  void givenAClientThatNeverReads_whenItsTopicIsFlooded_thenThatClientIsClosedAndCountedAndAnotherSessionStillFlows()
    throws Exception {
    startProxy(to(one).setSlowClientTimeoutMillis(1000));
    try (Socket slow = new Socket("127.0.0.1", proxyPort)) {
      slow.getOutputStream().write(connect311("slow"));
      // SUBSCRIBE slow/# at QoS 0; then it never reads
      slow.getOutputStream().write(new byte[] {(byte) 0x82, 11, 0, 1, 0, 6, 's', 'l', 'o', 'w', '/', '#', 0});
      slow.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> one.log().contains("slow 0 slow/#"));
      Mqtt5AsyncClient flooder = connected("proxy-flooder");
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 300 && enforced("slow_client") == 0; i++) {
        flooder.publishWith().topic("slow/x").qos(MqttQos.AT_LEAST_ONCE).payload(chunk).send().get(10, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> enforced("slow_client") == 1.0 && RelayFixture.sessions(vertx, "proxy") == 1.0);

      Mqtt5AsyncClient sub = connected("proxy-fast-sub");
      LinkedBlockingQueue<Mqtt5Publish> got = new LinkedBlockingQueue<>();
      sub.subscribeWith().topicFilter("fast/t").qos(MqttQos.AT_LEAST_ONCE).callback(got::add).send().get(10, TimeUnit.SECONDS);
      flooder.publishWith().topic("fast/t").qos(MqttQos.AT_LEAST_ONCE).payload("still".getBytes(StandardCharsets.UTF_8)).send()
        .get(10, TimeUnit.SECONDS);
      assertEquals("still", new String(got.poll(10, TimeUnit.SECONDS).getPayloadAsBytes(), StandardCharsets.UTF_8));
      InputStream in = slow.getInputStream();
      slow.setSoTimeout(10_000);
      assertTrue(drainsToEnd(in), "the slow client's connection was closed by the proxy");
    }
  }

  /** True when the connection ends (reset by the proxy, or closed) before 10,000 reads. */
  private static boolean drainsToEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int i = 0; i < 10_000; i++) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
