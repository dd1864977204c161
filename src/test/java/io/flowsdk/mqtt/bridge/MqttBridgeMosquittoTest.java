package io.flowsdk.mqtt.bridge;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.bridge.impl.ReplyErrors;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge verticle between a real Mosquitto 2.x and the flow bus, on MQTT 5 and 3.1.1. */
class MqttBridgeMosquittoTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create()
    .config("max_inflight_messages 100");

  /** A broker that refuses publishes to {@code denied/#}: MQTT 5 answers them with PUBACK 0x87. */
  @RegisterExtension
  static MosquittoBroker aclBroker = MosquittoBroker.create();

  static {
    try {
      java.nio.file.Path acl = aclBroker.dir().resolve("acl");
      java.nio.file.Files.writeString(acl, "topic readwrite allowed/#\ntopic read denied/#\n");
      aclBroker.config("acl_file " + acl);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Vertx vertx;
  static FlowBus bus;
  final List<String> deployments = new ArrayList<>();
  final List<HivePeer> peers = new ArrayList<>();

  @BeforeAll
  static void startVertx() throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx));
  }

  @AfterAll
  static void stopVertx() throws Exception {
    join(vertx.close());
  }

  @AfterEach
  void undeploy() throws Exception {
    for (String id : deployments) {
      join(vertx.undeploy(id));
    }
    for (HivePeer p : peers) {
      p.close();
    }
  }

  static MqttBridgeOptions bridge(MqttVersion version, String clientId) {
    return new MqttBridgeOptions().setName(clientId).setClient(new MqttClientOptions().setHost(broker.host())
      .setPort(broker.port()).setVersion(version).setClientId(clientId).setTimeoutPreset(TimeoutPreset.LOCAL));
  }

  String deploy(MqttBridgeOptions options) throws Exception {
    String id = join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(options.toJson())));
    deployments.add(id);
    return id;
  }

  HivePeer peer(MqttVersion version, String id) throws Exception {
    HivePeer p = HivePeer.connect(broker, version, id);
    peers.add(p);
    return p;
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenInboundMapping_whenPeerPublishesAtEachQos_thenBusGetsRewrittenTopicAtThatQos(MqttVersion version) throws Exception {
    String site = "in-" + version;
    deploy(bridge(version, "bridge-in-" + version).addInbound(new TopicMapping(site + "/#", "plant/" + site + "/#").setQos(QoS.EXACTLY_ONCE)));
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("plant/" + site + "/#"), m -> {
      received.add(m);
      return Future.succeededFuture();
    }));
    HivePeer publisher = peer(version, "pub-in-" + version);
    for (int qos = 0; qos <= 2; qos++) {
      publisher.publish(site + "/line4/q" + qos, "t" + qos, qos);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    for (int qos = 0; qos <= 2; qos++) {
      FlowMessage m = received.get(qos);
      assertEquals("plant/" + site + "/line4/q" + qos, m.topic());
      assertEquals("t" + qos, m.payload().toString());
      assertEquals(QoS.of(qos), m.qos());
      assertEquals("mqtt-client", m.origin().adapter());
      assertEquals(version == MqttVersion.V5 ? "hivemq" : null, m.header("via"));
      assertEquals(1.0, FlowMetrics.registry(vertx).get("flowsdk.mqtt.bridge.messages").tag("bridge", "bridge-in-" + version)
        .tag("direction", "inbound").tag("qos", String.valueOf(qos)).counter().count());
    }
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenOutboundMapping_whenBusPublishesAtEachQos_thenPeerGetsRewrittenTopicAtThatQos(MqttVersion version) throws Exception {
    String site = "out-" + version;
    deploy(bridge(version, "bridge-out-" + version).addOutbound(new TopicMapping(site + "/#", "plant/" + site + "/#").setQos(QoS.EXACTLY_ONCE)));
    HivePeer subscriber = peer(version, "sub-out-" + version);
    subscriber.subscribe(site + "/#", 2);
    for (int qos = 0; qos <= 2; qos++) {
      PublishResult r = join(bus.publish(FlowMessage.builder("plant/" + site + "/line4/q" + qos).payload("t" + qos)
        .qos(QoS.of(qos)).build()));
      assertEquals(1, r.subscribers());
      assertEquals(qos > 0, r.acknowledged());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received.size() == 3);
    for (int qos = 0; qos <= 2; qos++) {
      assertEquals(new HivePeer.Received(site + "/line4/q" + qos, "t" + qos, qos), subscriber.received.get(qos));
    }
  }

  @Test
  void givenTheBrokerRefusesAPublish_whenTheBusPublishesAtQos1_thenTheBusPublishFailsWithTheBrokersReason() throws Exception {
    MqttBridgeOptions options = bridge(MqttVersion.V5, "bridge-acl").addOutbound(new TopicMapping("#", "acl/#"));
    options.getClient().setPort(aclBroker.port());
    deploy(options);
    join(bus.publish(FlowMessage.builder("acl/allowed/1").payload("ok").qos(QoS.AT_LEAST_ONCE).build()));
    FlowException refused = failure(bus.publish(FlowMessage.builder("acl/denied/1").payload("no").qos(QoS.AT_LEAST_ONCE).build()));
    assertEquals(FlowError.NOT_AUTHORIZED, refused.error());
    assertEquals(PubAckReason.NOT_AUTHORIZED, ((MqttException) refused).reasonCode()); // the PUBACK's own reason code
  }

  @Test
  void givenRejectPolicyAndNoRoomAtTheBusSubscriber_whenInboundQos1Arrives_thenItIsRefusedWithAnErrorPubAckAndCounted()
    throws Exception {
    deploy(bridge(MqttVersion.V5, "bridge-full").addInbound(new TopicMapping("full/#", "bus/full/#"))
      .setInboundFailurePolicy(InboundFailurePolicy.REJECT).setInboundRetryMaxAttempts(1));
    SubscriptionOptions tiny = new SubscriptionOptions().setFilter("bus/full/#").setBufferSize(1).setMaxInflight(1)
      .setOverflowPolicy(io.flowsdk.bus.OverflowPolicy.DROP_NEWEST);
    List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    FlowSubscription subscription = join(bus.subscribe(tiny, m -> {
      Promise<Void> p = Promise.promise();
      held.add(p);
      return p.future();
    }));
    HivePeer publisher = peer(MqttVersion.V5, "pub-full");
    for (int i = 0; i < 3; i++) {
      publisher.publish("full/" + i, "m" + i, 1);
    }
    // one in the handler, one in the buffer, the third dropped
    await().atMost(Duration.ofSeconds(10)).until(() -> subscription.dropped() == 1);
    held.get(0).complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
    held.get(1).complete();
    // acknowledgements leave in arrival order: the first two succeed, the dropped one is refused with 0x97
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.log().contains("Received PUBACK from bridge-full (Mid: 3, RC:151)"));
    assertTrue(broker.log().contains("Received PUBACK from bridge-full (Mid: 1, RC:0)"));
    assertTrue(broker.log().contains("Received PUBACK from bridge-full (Mid: 2, RC:0)"));
    assertEquals(1.0, FlowMetrics.registry(vertx).get("flowsdk.mqtt.bridge.failed").tag("bridge", "bridge-full")
      .tag("error", "OVERLOADED").counter().count());
    subscription.close();
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenBusSubscriberHasNotAcknowledged_thenTheBrokerHasNoPubAckUntilItDoes(MqttVersion version) throws Exception {
    String bridgeId = "bridge-held-" + version;
    deploy(bridge(version, bridgeId)
      .addInbound(new TopicMapping("held-" + version + "/#", "bus/held-" + version + "/#"))
      .addOutbound(new TopicMapping("probe-" + version + "/#", "bus/probe-" + version + "/#")));
    List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("bus/held-" + version + "/#"), m -> {
      Promise<Void> p = Promise.promise();
      held.add(p);
      return p.future();
    }));
    HivePeer publisher = peer(version, "pub-held-" + version);
    publisher.publish("held-" + version + "/1", "keep me", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    // A QoS 1 publish from the bridge on the same connection: an early PUBACK would have reached the
    // broker before this PUBLISH, which the broker has acknowledged when the bus publish completes.
    join(bus.publish(FlowMessage.builder("bus/probe-" + version + "/x").payload("probe").qos(QoS.AT_LEAST_ONCE).build()));
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.log().contains("Received PUBLISH from " + bridgeId));
    assertFalse(broker.log().contains("Received PUBACK from " + bridgeId), "the bridge acknowledged before the bus subscriber did");

    held.get(0).complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.log().contains("Received PUBACK from " + bridgeId));
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void givenBusSubscriberHasNotAcknowledged_whenTheBridgeRestartsWithItsSession_thenTheBrokerDeliversTheMessageAgain(MqttVersion version)
    throws Exception {
    String bridgeId = "bridge-redeliver-" + version;
    String topic = "redeliver-" + version;
    MqttBridgeOptions options = bridge(version, bridgeId).addInbound(new TopicMapping(topic + "/#", "bus/" + topic + "/#"));
    options.getClient().setCleanStart(false).setSessionExpiryIntervalSeconds(300);
    String first = deploy(options);
    List<FlowMessage> seen = new CopyOnWriteArrayList<>();
    join(bus.subscribe(new SubscriptionOptions().setFilter("bus/" + topic + "/#"), m -> {
      seen.add(m);
      // the first delivery is never acknowledged; the redelivery is
      return seen.size() == 1 ? Promise.<Void>promise().future() : Future.succeededFuture();
    }));
    peer(version, "pub-" + bridgeId).publish(topic + "/1", "again", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);

    join(vertx.undeploy(first));
    deployments.remove(first);
    deploy(options);

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertEquals("again", seen.get(1).payload().toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.log().contains("Received PUBACK from " + bridgeId));
  }

  @Test
  void givenAnMqtt5Responder_whenBusRequestsAMappedAddress_thenTheReplyIsTheAnswer() throws Exception {
    deploy(bridge(MqttVersion.V5, "bridge-req-out").addOutboundRequest(new RequestMapping("svc/calc/double", "calc.double")));
    HivePeer responder = peer(MqttVersion.V5, "responder");
    responder.subscribe("svc/calc/double", 1, request -> {
      int n = Integer.parseInt(HivePeer.utf8(request.getPayloadAsBytes()));
      responder.v5().publishWith().topic(request.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
        .correlationData(request.getCorrelationData().orElseThrow())
        .payload(String.valueOf(2 * n).getBytes(StandardCharsets.UTF_8)).send();
    });
    FlowMessage answer = join(bus.request("calc.double", FlowMessage.builder("calc/double").payload("21").build(), Duration.ofSeconds(5)));
    assertEquals("42", answer.payload().toString());
    List<Future<FlowMessage>> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(bus.request("calc.double", FlowMessage.builder("calc/double").payload(String.valueOf(i)).build(), Duration.ofSeconds(5)));
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(String.valueOf(2 * i), join(many.get(i)).payload().toString());
    }
  }

  @Test
  void givenNobodyAtTheBrokerTopic_whenBusRequests_thenItFailsWithNoRouteAtOnce() throws Exception {
    deploy(bridge(MqttVersion.V5, "bridge-req-none").addOutboundRequest(new RequestMapping("svc/nobody", "nobody")));
    FlowError error = failure(bus.request("nobody", FlowMessage.of("x", Buffer.buffer("?")), Duration.ofSeconds(60))).error();
    assertEquals(FlowError.NO_ROUTE, error);
  }

  @Test
  void givenABusResponder_whenAnMqtt5PeerSendsARequest_thenTheAnswerGoesToItsResponseTopicWithItsCorrelationData() throws Exception {
    deploy(bridge(MqttVersion.V5, "bridge-req-in")
      .addInboundRequest(new RequestMapping("svc/plant/#", "plant.lookup"))
      .addInboundRequest(new RequestMapping("svc/unserved/#", "unserved")));
    join(bus.serve("plant.lookup", request -> Future.succeededFuture(FlowMessage.builder("answer")
      .payload(request.topic() + ":" + request.payload().toString().toUpperCase()).header("served-by", "bus").build())));
    HivePeer requester = peer(MqttVersion.V5, "requester");
    List<Mqtt5Publish> replies = new CopyOnWriteArrayList<>();
    requester.subscribe("peer/replies", 1, replies::add);

    requester.v5().publishWith().topic("svc/plant/line4").qos(MqttQos.AT_LEAST_ONCE).payload("temp".getBytes(StandardCharsets.UTF_8))
      .responseTopic("peer/replies").correlationData("c-1".getBytes(StandardCharsets.UTF_8)).send().get();
    requester.v5().publishWith().topic("svc/unserved/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0])
      .responseTopic("peer/replies").correlationData("c-2".getBytes(StandardCharsets.UTF_8)).send().get();

    await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 2);
    Mqtt5Publish answer = reply(replies, "c-1").orElseThrow();
    assertEquals("svc/plant/line4:TEMP", HivePeer.utf8(answer.getPayloadAsBytes()));
    assertTrue(answer.getUserProperties().asList().stream().anyMatch(p -> p.getName().toString().equals("served-by")));
    Mqtt5Publish error = reply(replies, "c-2").orElseThrow();
    assertTrue(error.getUserProperties().asList().stream().anyMatch(p -> p.getName().toString().equals(ReplyErrors.ERROR_PROPERTY)
      && p.getValue().toString().equals("NO_ROUTE")), error.toString());
  }

  private static Optional<Mqtt5Publish> reply(List<Mqtt5Publish> replies, String correlation) {
    return replies.stream().filter(r -> r.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString())
      .orElse("").equals(correlation)).findFirst();
  }

  @Test
  void givenMappingsBothWaysOnTheSameTopics_whenMessagesEnterOnEitherSide_thenEachCrossesOnceAndNeverComesBack() throws Exception {
    deploy(bridge(MqttVersion.V5, "bridge-loop")
      .addInbound(new TopicMapping("loop/#", "loop/#"))
      .addOutbound(new TopicMapping("loop/#", "loop/#")));
    List<String> onBus = new CopyOnWriteArrayList<>();
    join(bus.subscribe("loop/#", m -> onBus.add(m.topic())));
    HivePeer observer = peer(MqttVersion.V5, "loop-observer");
    observer.subscribe("loop/#", 1);
    HivePeer publisher = peer(MqttVersion.V5, "loop-publisher");

    publisher.publish("loop/from-broker", "a", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> onBus.contains("loop/from-broker"));
    // enters on the bus after the first message was on the bus: a bounced copy of it would reach the broker first
    join(bus.publish(FlowMessage.builder("loop/from-bus").payload("b").qos(QoS.AT_LEAST_ONCE).build()));
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.received.stream().anyMatch(r -> r.topic().equals("loop/from-bus")));
    // enters at the broker after the bus message reached it: a copy of that coming back would reach the bus first
    publisher.publish("loop/barrier", "c", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> onBus.contains("loop/barrier"));
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.received.stream().anyMatch(r -> r.topic().equals("loop/barrier")));

    assertEquals(List.of("loop/from-broker", "loop/from-bus", "loop/barrier"), onBus);
    assertEquals(List.of("loop/from-broker", "loop/from-bus", "loop/barrier"),
      observer.received.stream().map(HivePeer.Received::topic).toList());
  }

  @Test
  void givenMqtt311AndOverlappingFiltersBothWays_whenDeployed_thenItFailsNamingTheLoop() {
    MqttBridgeOptions options = bridge(MqttVersion.V3_1_1, "bridge-loop-311")
      .addInbound(new TopicMapping("loop311/#", "a/#"))
      .addOutbound(new TopicMapping("loop311/x/#", "b/#"));
    assertEquals(FlowError.INVALID, failure(vertx.deployVerticle(new MqttClientVerticle(),
      new DeploymentOptions().setConfig(options.toJson()))).error());
  }
}
