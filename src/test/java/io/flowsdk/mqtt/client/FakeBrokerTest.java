package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static io.flowsdk.mqtt.client.MqttTestSupport.await;
import static io.flowsdk.mqtt.client.MqttTestSupport.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scripted fake broker on a raw socket that answers the client's CONNECT with malformed or
 * out-of-order packets. Every case must end in a typed error and the right DISCONNECT on the wire,
 * never a hang.
 */
class FakeBrokerTest {

  static final Buffer CONNACK_OK = bytes(0x20, 0x03, 0x00, 0x00, 0x00);

  static Vertx vertx;
  NetServer server;
  MqttClient client;
  /** Everything the client sent to the fake broker. */
  final Buffer received = Buffer.buffer();
  final List<DisconnectInfo> disconnects = new CopyOnWriteArrayList<>();
  final List<FlowException> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      await(client.disconnect());
    }
    await(server.close());
  }

  static Buffer bytes(int... values) {
    Buffer b = Buffer.buffer();
    for (int v : values) {
      b.appendByte((byte) v);
    }
    return b;
  }

  /**
   * Starts a fake broker that calls {@code script} with the socket and the number of client packets
   * seen so far whenever the client sends something, and a client connected to it.
   */
  MqttClient clientOf(MqttClientOptions options, BiConsumer<NetSocket, Integer> script) {
    server = vertx.createNetServer();
    server.connectHandler(so -> so.handler(buf -> {
      synchronized (received) {
        received.appendBuffer(buf);
      }
      script.accept(so, packets(received).size());
    }));
    await(server.listen(0, "127.0.0.1"));
    client = MqttClient.create(vertx, options.setHost("127.0.0.1").setPort(server.actualPort()).setReconnect(false)
      .setClientId("fake-test"));
    client.disconnectedHandler(disconnects::add);
    client.errorHandler(errors::add);
    return client;
  }

  /** Splits what the client sent into packets (type byte + remaining length + body). */
  static List<Buffer> packets(Buffer all) {
    List<Buffer> out = new ArrayList<>();
    int pos = 0;
    while (pos < all.length()) {
      int len = 0;
      int mul = 1;
      int i = pos + 1;
      while (true) {
        if (i >= all.length()) {
          return out;
        }
        int digit = all.getByte(i++) & 0xFF;
        len += (digit & 0x7F) * mul;
        mul *= 128;
        if ((digit & 0x80) == 0) {
          break;
        }
      }
      if (i + len > all.length()) {
        return out;
      }
      out.add(all.getBuffer(pos, i + len));
      pos = i + len;
    }
    return out;
  }

  /** The reason code of the DISCONNECT the client sent, waiting for it. */
  int disconnectReasonSent() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lastPacketType() == 0xE0);
    List<Buffer> ps;
    synchronized (received) {
      ps = packets(received);
    }
    Buffer d = ps.get(ps.size() - 1);
    return d.getByte(2) & 0xFF;
  }

  int lastPacketType() {
    synchronized (received) {
      List<Buffer> ps = packets(received);
      return ps.isEmpty() ? -1 : ps.get(ps.size() - 1).getByte(0) & 0xF0;
    }
  }

  @Test
  void givenBrokerAnswersConnectWithGarbage_whenConnecting_thenConnectFailsMalformedAndClientSendsDisconnect0x81() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x00, 0x02, 0x01, 0x02)));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(DisconnectReason.MALFORMED_PACKET, e.reasonCode());
    assertEquals(0x81, disconnectReasonSent());
  }

  @Test
  void givenAnMqtt311BrokerRefusingProtocolLevel5_whenConnecting_thenUnsupportedProtocolVersion() {
    // CONNACK as MQTT 3.1.1 writes it, return code 0x01: unacceptable protocol version (MQTT-3.1.2-2)
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x20, 0x02, 0x00, 0x01)));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(ConnectReason.UNSUPPORTED_PROTOCOL_VERSION, e.reasonCode(), e.getMessage());
  }

  @Test
  void givenAConnAckWithAPropertyACONNACKMayNotCarry_whenConnecting_thenConnectFailsMalformedAndClientSendsDisconnect0x81() {
    // CONNACK, success, properties: Topic Alias 1 (a PUBLISH's property)
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x20, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01)));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(DisconnectReason.MALFORMED_PACKET, e.reasonCode());
    assertTrue(e.getMessage().contains("2.2.2.2"), e.getMessage());
    assertEquals(0x81, disconnectReasonSent());
  }

  @Test
  void givenAConnAckWithAPropertyTwice_whenConnecting_thenConnectFailsWithProtocolErrorAndClientSendsDisconnect0x82() {
    // CONNACK, success, properties: Maximum QoS 1, Maximum QoS 0 (Netty's decoder keeps the last)
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x20, 0x07, 0x00, 0x00, 0x04, 0x24, 0x01, 0x24, 0x00)));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(DisconnectReason.PROTOCOL_ERROR, e.reasonCode());
    assertEquals(0x82, disconnectReasonSent());
  }

  @Test
  void givenBrokerSendsPublishBeforeConnack_whenConnecting_thenConnectFailsWithProtocolError0x82() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x30, 0x05, 0x00, 0x01, 't', 0x00, 'x')));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(DisconnectReason.PROTOCOL_ERROR, e.reasonCode());
    assertEquals(0x82, disconnectReasonSent());
  }

  @Test
  void givenBrokerNeverAnswers_whenConnecting_thenConnectFailsWithTimeout() {
    MqttClient c = clientOf(new MqttClientOptions().setConnectTimeoutMillis(300), (so, n) -> { });

    FlowException e = assertInstanceOf(FlowException.class, awaitFailure(c.connect()));

    assertEquals(FlowError.TIMEOUT, e.error());
  }

  @Test
  void givenBrokerSendsAPacketBeyondOurMaximumPacketSize_whenConnected_thenDisconnect0x95AndTooLargeError() {
    Buffer big = Buffer.buffer().appendBytes(new byte[] {0x30, (byte) 0xD4, 0x0F, 0x00, 0x01, 't', 0x00}).appendBytes(new byte[2000]);
    MqttClient c = clientOf(new MqttClientOptions().setMaximumPacketSize(1024), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK).onSuccess(v -> so.write(big));
      }
    });

    await(c.connect());

    assertEquals(0x95, disconnectReasonSent());
    org.awaitility.Awaitility.await().until(() -> !disconnects.isEmpty());
    assertEquals(DisconnectReason.PACKET_TOO_LARGE, disconnects.get(0).reasonCode());
    assertEquals(FlowError.TOO_LARGE, errors.get(0).error());
  }

  @Test
  void givenBrokerAnnouncesA10MbPacketAndSendsNoBody_whenConnected_thenDisconnect0x95AtOnceWithoutWaitingForTheBody() {
    MqttClient c = clientOf(new MqttClientOptions().setMaximumPacketSize(1024), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK).onSuccess(v -> so.write(bytes(0x30, 0x80, 0xAD, 0xE2, 0x04, 0x00, 0x01, 't')));
      }
    });

    await(c.connect());

    assertEquals(0x95, disconnectReasonSent());
    org.awaitility.Awaitility.await().until(() -> !disconnects.isEmpty());
    assertEquals(DisconnectReason.PACKET_TOO_LARGE, disconnects.get(0).reasonCode());
  }

  @Test
  void givenBrokerSendsSubackForAnUnknownPacketId_whenConnected_thenDisconnect0x82() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK);
      } else if (n == 2) {
        so.write(bytes(0x90, 0x04, 0x12, 0x34, 0x00, 0x00));
      }
    });
    await(c.connect());

    Throwable failure = awaitFailure(c.subscribe(SubscribeRequest.of("a", QoS.AT_MOST_ONCE)));

    assertEquals(0x82, disconnectReasonSent());
    assertEquals(FlowError.DISCONNECTED, ((FlowException) failure).error());
  }

  @Test
  void givenBrokerAnswersAQos2PublishWithPuback_whenPublishing_thenDisconnect0x82() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK);
      } else if (n == 2) {
        so.write(bytes(0x40, 0x02, 0x00, 0x01));
      }
    });
    await(c.connect());

    c.publish(PublishRequest.of("q", Buffer.buffer("x"), QoS.EXACTLY_ONCE));

    assertEquals(0x82, disconnectReasonSent());
  }

  @Test
  void givenBrokerSendsPublishWithQos3_whenConnected_thenDisconnectMalformed0x81() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK).onSuccess(v -> so.write(bytes(0x36, 0x07, 0x00, 0x01, 't', 0x00, 0x01, 0x00, 'x')));
      }
    });

    await(c.connect());

    assertEquals(0x81, disconnectReasonSent());
  }

  @Test
  void givenBrokerClosesMidPacket_whenConnected_thenDisconnectedEventAndPendingSubscribeFails() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK);
      } else if (n == 2) {
        so.write(bytes(0x90, 0x04, 0x00)).onSuccess(v -> so.close());
      }
    });
    await(c.connect());

    Throwable failure = awaitFailure(c.subscribe(SubscribeRequest.of("a", QoS.AT_MOST_ONCE)));

    assertEquals(FlowError.DISCONNECTED, ((FlowException) failure).error());
    org.awaitility.Awaitility.await().until(() -> !disconnects.isEmpty());
    assertEquals(DisconnectReason.UNSPECIFIED_ERROR, disconnects.get(0).reasonCode());
  }

  @Test
  void givenBrokerStopsAnsweringPings_whenKeepAliveIs1s_thenConnectionDeclaredDeadWith0x8D() {
    MqttClient c = clientOf(new MqttClientOptions().setKeepAliveSeconds(1), (so, n) -> {
      if (n == 1) {
        so.write(CONNACK_OK);
      }
    });
    await(c.connect());
    long start = System.nanoTime();

    assertEquals(0x8D, disconnectReasonSent());

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    org.junit.jupiter.api.Assertions.assertTrue(elapsedMillis < 1_500 + 500, "dead within 1.5x keep-alive, took " + elapsedMillis);
    org.awaitility.Awaitility.await().until(() -> !disconnects.isEmpty());
    assertEquals(DisconnectReason.KEEP_ALIVE_TIMEOUT, disconnects.get(0).reasonCode());
  }

  @Test
  void givenBrokerRefusesWithV5ReasonNotAuthorized_whenConnecting_thenTypedNotAuthorized() {
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(bytes(0x20, 0x03, 0x00, 0x87, 0x00)));

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(ConnectReason.NOT_AUTHORIZED, e.reasonCode());
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
  }

  @Test
  void givenMqtt311_whenBrokerAnswersConnectWithGarbage_thenConnectFailsMalformedAndTheSocketClosesWithoutDisconnect() {
    List<Boolean> closed = new CopyOnWriteArrayList<>();
    MqttClient c = clientOf(new MqttClientOptions().setVersion(MqttVersion.V3_1_1), (so, n) -> {
      so.closeHandler(v -> closed.add(true));
      so.write(bytes(0xF0, 0x00));
    });

    MqttException e = assertInstanceOf(MqttException.class, awaitFailure(c.connect()));

    assertEquals(DisconnectReason.MALFORMED_PACKET, e.reasonCode());
    org.awaitility.Awaitility.await().until(() -> !closed.isEmpty());
    assertEquals(0x10, lastPacketType(), "only the CONNECT was sent: MQTT 3.1.1 has no DISCONNECT reason");
  }

  @Test
  void givenMqtt311_whenBrokerSendsAnAuthPacketThatMqtt311DoesNotHave_thenTheConnectionClosesAsMalformed() {
    MqttClient c = clientOf(new MqttClientOptions().setVersion(MqttVersion.V3_1_1),
      (so, n) -> so.write(bytes(0x20, 0x02, 0x00, 0x00)).onSuccess(v -> so.write(bytes(0xF0, 0x00))));

    await(c.connect());

    org.awaitility.Awaitility.await().until(() -> !disconnects.isEmpty());
    assertEquals(DisconnectReason.MALFORMED_PACKET, disconnects.get(0).reasonCode());
    assertEquals(FlowError.PROTOCOL_ERROR, errors.get(0).error());
  }

  @Test
  void givenAConnectedClient_whenItDisconnects_thenItsClientTaggedMetersAreRemoved() {
    MeterRegistry registry = FlowMetrics.registry(vertx);
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> so.write(CONNACK_OK)); // client id "fake-test"
    await(c.connect());
    assertEquals(8, clientMeters(registry, "fake-test").size());

    await(c.disconnect());

    assertEquals(List.of(), clientMeters(registry, "fake-test"));
    client = null;
  }

  private static List<String> clientMeters(MeterRegistry registry, String clientId) {
    return registry.getMeters().stream().filter(m -> clientId.equals(m.getId().getTag("client")))
      .map(m -> m.getId().getName()).toList();
  }

  @Test
  void givenBrokerSendsLongPropertiesEndingInAOneByteProperty_whenConnected_thenTheClientReadsThemWhole() throws Exception {
    // a block of 128 bytes or more whose last property Netty's decoder alone would not read
    CompletableFuture<InboundMessage> delivered = new CompletableFuture<>();
    MqttClient c = clientOf(new MqttClientOptions(), (so, n) -> {
      if (n == 1) {
        so.write(RawPacket.v5().connack().properties(RawProperties.create().userProperty("k", "v".repeat(150)).maximumQos(1)).build().buffer());
      } else if (n == 2) { // the SUBSCRIBE: a SUBACK for its packet identifier, then the PUBLISH
        Buffer subscribe = packets(received).get(1);
        so.write(bytes(0x90, 0x04, subscribe.getByte(2), subscribe.getByte(3), 0x00, 0x00)).onSuccess(v -> so.write(RawPacket.v5().publish().topic("t")
          .properties(RawProperties.create().userProperty("k", "v".repeat(150)).payloadFormatIndicator(1))
          .payload("hello").build().buffer()));
      }
    });
    c.messageHandler(m -> {
      delivered.complete(m);
      return Future.succeededFuture();
    });

    assertEquals(QoS.AT_LEAST_ONCE, await(c.connect()).maximumQos());
    await(c.subscribe(SubscribeRequest.of("t", QoS.AT_MOST_ONCE)));
    InboundMessage message = delivered.get(10, TimeUnit.SECONDS);

    assertEquals("hello", message.payload().toString());
    assertEquals(PayloadFormat.UTF8, message.payloadFormat());
    assertEquals(List.of(), errors);
  }
}
