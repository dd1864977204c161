package io.flowsdk.relay;

import io.flowsdk.relay.impl.RelayMetrics;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.flowsdk.relay.proto.v5.Connect;
import io.flowsdk.relay.proto.v5.MqttPacket;
import io.flowsdk.relay.proto.v5.Property;
import io.flowsdk.relay.proto.v5.Publish;
import io.flowsdk.relay.proto.v5.QoS;
import io.flowsdk.relay.proto.v5.Subscribe;
import io.flowsdk.relay.proto.v5.TopicSubscription;
import io.flowsdk.testing.FreePorts;
import io.flowsdk.testing.Futures;
import io.flowsdk.testing.MosquittoBroker;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our upstream against a real Mosquitto, driven by an independent gRPC stack (grpc-java) scripted like
 * FlowSDK's r-proxy. After every test the upstream carries no session.
 */
class RelayUpstreamTest {

  @RegisterExtension
  static MosquittoBroker mosquitto = MosquittoBroker.create();

  private Vertx vertx;
  private int port;
  private final List<RProxyPeer> peers = new ArrayList<>();

  private void startUpstream(int brokerPort, long connectTimeoutMillis) throws Exception {
    startUpstream(new RelayUpstreamOptions().setBrokerPort(brokerPort).setBrokerConnectTimeoutMillis(connectTimeoutMillis));
  }

  private void startUpstream(RelayUpstreamOptions options) throws Exception {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    options.setPort(0).setBrokerHost("127.0.0.1");
    Futures.join(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(options.toJson())));
    port = upstream.actualPort();
  }

  private RProxyPeer peer(String sessionId, String clientIdHeader) {
    RProxyPeer peer = new RProxyPeer(port, sessionId, clientIdHeader);
    peers.add(peer);
    return peer;
  }

  @AfterEach
  void sessionsBackToZero() throws Exception {
    if (vertx == null) {
      return;
    }
    for (RProxyPeer p : peers) {
      p.close();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> RelayFixture.sessions(vertx, "upstream") == 0.0);
    Futures.join(vertx.close());
  }

  private static Connect v5Connect(String clientId) {
    return Connect.newBuilder().setClientId(clientId).setProtocolName("MQTT").setProtocolVersion(5)
      .setCleanStart(true).setKeepAlive(30).build();
  }

  @Test
  void givenAnRProxyScriptWhenItConnectsSubscribesAndPublishesAtQos1ThenMosquittoAnswersThroughTheStream() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer peer = peer("s-1", "c-1");
    peer.connect(v5Connect("c-1"));
    MqttStreamMessage connack = peer.next();
    assertEquals(MessageDirection.BROKER_TO_CLIENT, connack.getDirection());
    assertEquals(1, connack.getSequenceId());
    assertEquals(0, connack.getMqttV5Packet().getConnack().getReasonCode());
    assertEquals(1.0, RelayFixture.sessions(vertx, "upstream"));

    peer.send(MqttPacket.newBuilder().setSubscribe(Subscribe.newBuilder().setMessageId(1)
      .addSubscriptions(TopicSubscription.newBuilder().setTopicFilter("relay/t").setQos(1))).build());
    assertEquals(List.of(1), peer.next().getMqttV5Packet().getSuback().getReasonCodesList());

    peer.send(MqttPacket.newBuilder().setPublish(Publish.newBuilder().setTopic("relay/t").setMessageId(2)
      .setQos(QoS.AT_LEAST_ONCE).setPayload(RProxyPeer.bytes("hello"))
      .addProperties(Property.newBuilder().setContentType("text/plain"))
      .addProperties(Property.newBuilder().setUserProperty(io.flowsdk.relay.proto.v5.UserProperty.newBuilder()
        .setKey("k").setValue("v")))).build());
    List<MqttPacket> answers = List.of(peer.next().getMqttV5Packet(), peer.next().getMqttV5Packet());
    MqttPacket puback = answers.stream().filter(MqttPacket::hasPuback).findFirst().orElseThrow();
    MqttPacket delivery = answers.stream().filter(MqttPacket::hasPublish).findFirst().orElseThrow();
    assertEquals(2, puback.getPuback().getMessageId());
    assertEquals("hello", delivery.getPublish().getPayload().toStringUtf8());
    assertEquals("relay/t", delivery.getPublish().getTopic());
    assertTrue(delivery.getPublish().getPropertiesList().contains(Property.newBuilder().setContentType("text/plain").build()),
      () -> "properties lost: " + delivery.getPublish().getPropertiesList());

    peer.send(MqttPacket.newBuilder().setDisconnect(io.flowsdk.relay.proto.v5.Disconnect.getDefaultInstance()).build());
    peer.halfClose();
    peer.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenAnMqtt311SessionWhenItPublishesAtQos2ThenTheWholeExchangePassesThrough() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer peer = peer("s-311", "c-311");
    peer.connect(io.flowsdk.relay.proto.v3.Connect.newBuilder().setClientId("c-311").setProtocolName("MQTT")
      .setProtocolVersion(4).setCleanSession(true).setKeepAlive(30).build());
    assertEquals(0, peer.next().getMqttV3Packet().getConnack().getReturnCode());
    peer.send(io.flowsdk.relay.proto.v3.MqttPacket.newBuilder().setPublish(io.flowsdk.relay.proto.v3.Publish.newBuilder()
      .setTopic("relay/q2").setMessageId(9).setQos(io.flowsdk.relay.proto.v3.QoS.EXACTLY_ONCE)
      .setPayload(RProxyPeer.bytes("two"))).build());
    assertEquals(9, peer.next().getMqttV3Packet().getPubrec().getMessageId());
    peer.send(io.flowsdk.relay.proto.v3.MqttPacket.newBuilder()
      .setPubrel(io.flowsdk.relay.proto.v3.Pubrel.newBuilder().setMessageId(9)).build());
    assertEquals(9, peer.next().getMqttV3Packet().getPubcomp().getMessageId());
    peer.halfClose();
    peer.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenNoBrokerWhenTheClientConnectsThenItGetsConnackServerUnavailableAndTerminate() throws Exception {
    startUpstream(FreePorts.loopback(), 5000);
    RProxyPeer peer = peer("s-down", "c-down");
    peer.connect(v5Connect("c-down"));
    io.flowsdk.relay.proto.v5.Connack connack = peer.next().getMqttV5Packet().getConnack();
    assertEquals(0x88, connack.getReasonCode());
    String reason = connack.getProperties(0).getReasonString();
    assertTrue(reason.startsWith("cannot connect to the broker 127.0.0.1:"), reason);
    SessionControl terminate = peer.next().getSessionControl();
    assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
    assertEquals(reason, terminate.getReason());
    peer.done.get(10, TimeUnit.SECONDS);
    assertEquals(1.0, FlowMetrics.registry(vertx).get(RelayMetrics.REFUSED).counter().count());
  }

  @Test
  void givenASequenceGapWhenItArrivesThenTheSessionEndsWithThatReason() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer peer = peer("s-gap", "c-gap");
    peer.connect(v5Connect("c-gap"));
    assertEquals(0, peer.next().getMqttV5Packet().getConnack().getReasonCode());
    peer.sendRaw(MqttStreamMessage.newBuilder().setSequenceId(5)
      .setMqttV5Packet(MqttPacket.newBuilder().setPingreq(io.flowsdk.relay.proto.v5.Pingreq.getDefaultInstance())).build());
    SessionControl terminate = peer.next().getSessionControl();
    assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
    assertEquals("sequence gap: expected sequence id 1 but received 5", terminate.getReason());
    peer.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenEstablishV5WhenAnMqtt311ConnectFollowsThenTheSessionEndsWithThatReason() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer peer = peer("s-mixed", "c-mixed");
    peer.sendRaw(RProxyPeer.establish(SessionControl.ControlType.ESTABLISHV5, "c-mixed"));
    peer.sendRaw(MqttStreamMessage.newBuilder().setSequenceId(0).setMqttV3Packet(io.flowsdk.relay.proto.v3.MqttPacket
      .newBuilder().setConnect(io.flowsdk.relay.proto.v3.Connect.newBuilder().setClientId("c-mixed")
        .setProtocolName("MQTT").setProtocolVersion(4))).build());
    SessionControl terminate = peer.next().getSessionControl();
    assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
    assertEquals("the session was established with ESTABLISHV5 but its CONNECT is MQTT 3.1.1", terminate.getReason());
    peer.done.get(10, TimeUnit.SECONDS);
    assertEquals(1.0, FlowMetrics.registry(vertx).get(RelayMetrics.PROTOCOL_ERRORS).counter().count());
  }

  @Test
  void givenAClientIdThatIsNotAValidMetadataValueWhenItIsPercentEncodedThenTheSessionWorks() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    String clientId = "caf\u00e9 \u5ba2\u6237";
    RProxyPeer peer = peer("s-utf8", io.flowsdk.relay.impl.MetadataValues.encode(clientId));
    peer.connect(v5Connect(clientId));
    assertEquals(0, peer.next().getMqttV5Packet().getConnack().getReasonCode());
    peer.halfClose();
    peer.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenALiveSessionWhenMosquittoIsKilledThenTheClientSideIsToldAndTheStreamEnds() throws Exception {
    MosquittoBroker own = MosquittoBroker.create().start();
    try {
      startUpstream(own.port(), 5000);
      RProxyPeer peer = peer("s-kill", "c-kill");
      peer.connect(v5Connect("c-kill"));
      assertEquals(0, peer.next().getMqttV5Packet().getConnack().getReasonCode());
      own.kill();
      SessionControl terminate = peer.next().getSessionControl();
      assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
      assertEquals("the broker closed the connection", terminate.getReason());
      peer.done.get(10, TimeUnit.SECONDS);
    } finally {
      own.stop();
    }
  }

  @Test
  void givenAPublishThatNamesItsTopicByAliasOnlyWhenRelayedThenMosquittoResolvesTheAliasTheClientSet() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer peer = peer("s-alias", "c-alias");
    peer.connect(v5Connect("c-alias"));
    assertEquals(0, peer.next().getMqttV5Packet().getConnack().getReasonCode());
    peer.send(MqttPacket.newBuilder().setSubscribe(Subscribe.newBuilder().setMessageId(1)
      .addSubscriptions(TopicSubscription.newBuilder().setTopicFilter("relay/alias").setQos(0))).build());
    assertEquals(List.of(0), peer.next().getMqttV5Packet().getSuback().getReasonCodesList());
    Property alias = Property.newBuilder().setTopicAlias(1).build();
    peer.send(MqttPacket.newBuilder().setPublish(Publish.newBuilder().setTopic("relay/alias")
      .setPayload(RProxyPeer.bytes("named")).addProperties(alias)).build());
    peer.send(MqttPacket.newBuilder().setPublish(Publish.newBuilder().setTopic("")
      .setPayload(RProxyPeer.bytes("aliased")).addProperties(alias)).build());
    Publish first = peer.next().getMqttV5Packet().getPublish();
    Publish second = peer.next().getMqttV5Packet().getPublish();
    assertEquals("relay/alias named", first.getTopic() + " " + first.getPayload().toStringUtf8());
    assertEquals("relay/alias aliased", second.getTopic() + " " + second.getPayload().toStringUtf8());
    peer.halfClose();
    peer.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenAClientWithAWillWhenTheClientSideSendsTerminateThenTheBrokerConnectionClosesAndTheWillIsPublished()
    throws Exception {
    startUpstream(mosquitto.port(), 5000);
    RProxyPeer watcher = peer("s-watch", "c-watch");
    watcher.connect(v5Connect("c-watch"));
    assertEquals(0, watcher.next().getMqttV5Packet().getConnack().getReasonCode());
    watcher.send(MqttPacket.newBuilder().setSubscribe(Subscribe.newBuilder().setMessageId(1)
      .addSubscriptions(TopicSubscription.newBuilder().setTopicFilter("relay/terminated").setQos(0))).build());
    watcher.next();

    RProxyPeer doomed = peer("s-doomed", "c-doomed");
    doomed.connect(v5Connect("c-doomed").toBuilder().setWill(io.flowsdk.relay.proto.v5.Will.newBuilder()
      .setTopic("relay/terminated").setPayload(RProxyPeer.bytes("bye"))).build());
    assertEquals(0, doomed.next().getMqttV5Packet().getConnack().getReasonCode());
    doomed.sendRaw(MqttStreamMessage.newBuilder().setSequenceId(1)
      .setSessionControl(SessionControl.newBuilder().setControlType(SessionControl.ControlType.TERMINATE)).build());
    doomed.done.get(10, TimeUnit.SECONDS);
    assertEquals("bye", watcher.next().getMqttV5Packet().getPublish().getPayload().toStringUtf8());
    watcher.halfClose();
    watcher.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenTheSessionLimitWhenOneMoreStreamOpensThenItEndsWithResourceExhausted() throws Exception {
    startUpstream(new RelayUpstreamOptions().setBrokerPort(mosquitto.port()).setMaxSessions(1));
    RProxyPeer first = peer("s-first", "c-first");
    first.connect(v5Connect("c-first"));
    assertEquals(0, first.next().getMqttV5Packet().getConnack().getReasonCode());
    RProxyPeer second = peer("s-second", "c-second");
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
      java.util.concurrent.ExecutionException.class, () -> second.done.get(10, TimeUnit.SECONDS));
    io.grpc.Status status = io.grpc.Status.fromThrowable(e.getCause());
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, status.getCode());
    assertEquals("the relay upstream carries its limit of 1 sessions", status.getDescription());
    first.halfClose();
    first.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenBytesThatAreNotAStreamMessageWhenTheyArriveThenTheSessionEndsWithTerminateAndTheReason() throws Exception {
    startUpstream(mosquitto.port(), 5000);
    io.grpc.MethodDescriptor.Marshaller<byte[]> raw = new io.grpc.MethodDescriptor.Marshaller<>() {
      @Override
      public java.io.InputStream stream(byte[] value) {
        return new java.io.ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(java.io.InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    io.grpc.MethodDescriptor<byte[], byte[]> method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("mqtt.MqttRelayService/StreamMqttMessages").setRequestMarshaller(raw).setResponseMarshaller(raw).build();
    io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", port)
      .usePlaintext().build();
    try {
      java.util.concurrent.LinkedBlockingQueue<byte[]> got = new java.util.concurrent.LinkedBlockingQueue<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      io.grpc.stub.StreamObserver<byte[]> out = io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
        channel.newCall(method, io.grpc.CallOptions.DEFAULT), new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            got.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
      out.onNext(new byte[] {0x0A, 0x05, 'a'}); // field 1, a string of 5 bytes of which 1 arrives
      byte[] answer = got.poll(10, TimeUnit.SECONDS);
      assertTrue(answer != null, "no answer to an undecodable message");
      SessionControl terminate = MqttStreamMessage.parseFrom(answer).getSessionControl();
      assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
      assertTrue(terminate.getReason().startsWith("the stream carried a message that is not an mqtt.MqttStreamMessage"),
        terminate.getReason());
      done.get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> RelayFixture.sessions(vertx, "upstream") == 0.0);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A broker on a free port that answers the n-th buffer it reads with {@code replies[n]} (raw bytes): the
   * upstream's client side must refuse what a broker may not send.
   */
  private int scriptedBroker(byte[]... replies) throws Exception {
    java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
    return Futures.join(vertx.createNetServer().connectHandler(so -> so.handler(buf -> {
      int n = read.getAndIncrement();
      if (n < replies.length) {
        so.write(io.vertx.core.buffer.Buffer.buffer(replies[n]));
      }
    })).listen(0, "127.0.0.1")).actualPort();
  }

  private RProxyPeer v311Peer(String id) {
    RProxyPeer peer = peer("s-" + id, id);
    peer.connect(io.flowsdk.relay.proto.v3.Connect.newBuilder().setClientId(id).setProtocolName("MQTT")
      .setProtocolVersion(4).setCleanSession(true).setKeepAlive(30).build());
    return peer;
  }

  private void assertTerminated(RProxyPeer peer, String reason) throws Exception {
    SessionControl terminate = peer.next().getSessionControl();
    assertEquals(SessionControl.ControlType.TERMINATE, terminate.getControlType());
    assertEquals(reason, terminate.getReason());
    peer.done.get(10, TimeUnit.SECONDS);
    assertEquals(1.0, FlowMetrics.registry(vertx).get(RelayMetrics.PROTOCOL_ERRORS).counter().count());
  }

  @Test
  void givenAnMqtt311SessionWhenTheBrokerAnswersWithAnMqtt5OnlyConnackCodeThenTheSessionEndsWithAProtocolError() throws Exception {
    vertx = Vertx.vertx();
    startUpstream(scriptedBroker(new byte[] {0x20, 0x02, 0x00, (byte) 0x87}), 5000);
    assertTerminated(v311Peer("c-connack"), "the broker sent a packet its session cannot carry: CONNACK return code 0x87 "
      + "is not one of MQTT 3.1.1 (0 to 5, 3.2.2.3)");
  }

  @Test
  void givenAnMqtt311SessionWhenTheBrokerAnswersSubscribeWithAnMqtt5OnlyCodeThenTheSessionEndsWithAProtocolError() throws Exception {
    vertx = Vertx.vertx();
    startUpstream(scriptedBroker(new byte[] {0x20, 0x02, 0x00, 0x00}, new byte[] {(byte) 0x90, 0x03, 0x00, 0x01, (byte) 0x87}), 5000);
    RProxyPeer peer = v311Peer("c-suback");
    assertEquals(0, peer.next().getMqttV3Packet().getConnack().getReturnCode());
    peer.send(io.flowsdk.relay.proto.v3.MqttPacket.newBuilder().setSubscribe(io.flowsdk.relay.proto.v3.Subscribe.newBuilder()
      .setMessageId(1).addSubscriptions(io.flowsdk.relay.proto.v3.TopicSubscription.newBuilder().setTopicFilter("a"))).build());
    assertTerminated(peer, "the broker sent a packet its session cannot carry: SUBACK return code 0x87 is not one of "
      + "MQTT 3.1.1 (0x00, 0x01, 0x02, 0x80; MQTT-3.9.3-2)");
  }

  @Test
  void givenASessionWhenTheBrokerSendsConnectThenItIsRefusedFromItsFirstByte() throws Exception {
    vertx = Vertx.vertx();
    startUpstream(scriptedBroker(new byte[] {0x20, 0x02, 0x00, 0x00, 0x10}), 5000);
    RProxyPeer peer = v311Peer("c-connect");
    assertEquals(0, peer.next().getMqttV3Packet().getConnack().getReturnCode());
    assertTerminated(peer, "the broker sent an undecodable packet: CONNECT from the broker");
  }
}
