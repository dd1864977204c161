package io.flowsdk.mqtt.testing;

import io.flowsdk.testing.MosquittoBroker;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RawMqttClient} against a real Mosquitto: packets out, decoded packets in, timeouts and closes reported as such. */
class RawMqttClientTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create().quiet();

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    join(vertx.close());
  }

  private static RawMqttClient connect(boolean v5) throws Exception {
    return join(RawMqttClient.connect(vertx, broker.host(), broker.port(), v5));
  }

  private static RawClientException.Kind failureKind(io.vertx.core.Future<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> join(f));
    return ((RawClientException) e.getCause()).kind();
  }

  @Test
  void givenAValidV5Connect_whenSent_thenTheNextPacketIsASuccessfulConnAckAndPingsAreAnswered() throws Exception {
    RawMqttClient client = connect(true);
    join(client.send(RawPacket.v5().connect().clientId("raw-ok").build()));

    MqttConnAckMessage ack = (MqttConnAckMessage) join(client.next(Duration.ofSeconds(5)));
    assertEquals(0, ack.variableHeader().connectReturnCode().byteValue());

    join(client.send(RawPacket.v5().pingreq().build()));
    assertEquals(MqttMessageType.PINGRESP, join(client.next(Duration.ofSeconds(5))).fixedHeader().messageType());
    join(client.close());
  }

  @Test
  void givenAConnectedClient_whenNothingIsSent_thenNextTimesOutAndTheConnectionStaysOpen() throws Exception {
    RawMqttClient client = connect(false);
    join(client.send(RawPacket.v311().connect().clientId("raw-quiet").build()));
    join(client.next(Duration.ofSeconds(5)));

    assertEquals(RawClientException.Kind.TIMEOUT, failureKind(client.next(Duration.ofMillis(200))));
    assertEquals(RawClientException.Kind.TIMEOUT, failureKind(client.awaitClose(Duration.ofMillis(200))));
    join(client.close());
  }

  @Test
  void givenAReservedPacketTypeAfterConnect_whenSent_thenTheServerClosesAndWhatItSentBeforeIsKept() throws Exception {
    RawMqttClient client = connect(false);
    join(client.send(RawPacket.v311().connect().clientId("raw-bad").build()));
    MqttMessage ack = join(client.next(Duration.ofSeconds(5)));
    assertEquals(MqttMessageType.CONNACK, ack.fixedHeader().messageType());

    join(client.send(RawPacket.v311().pingreq().typeNibble(0).build()));

    join(client.awaitClose(Duration.ofSeconds(5)));
    assertTrue(client.isClosed());
    assertEquals(RawClientException.Kind.CLOSED, failureKind(client.next(Duration.ofSeconds(1))));
    assertEquals("20 02 00 00", RawPacket.of(PacketType.CONNACK, join(client.received()).getBytes()).hex());
    join(client.close());
  }

  @Test
  void givenNettyBuiltPackets_whenSentThenAReservedType_thenTheSubackComesAndUntilClosedHoldsWhatWasNotTaken() throws Exception {
    RawMqttClient client = connect(true);
    join(client.send(MqttMessageBuilders.connect().clientId("raw-netty").protocolVersion(MqttVersion.MQTT_5).build()));
    join(client.send(MqttMessageBuilders.subscribe().messageId(3).addSubscription(MqttQoS.AT_LEAST_ONCE, "raw/netty").build()));
    join(client.send(MqttMessageBuilders.publish().topicName("raw/netty").qos(MqttQoS.AT_MOST_ONCE)
      .payload(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)).build()));
    assertEquals(MqttMessageType.CONNACK, join(client.next(Duration.ofSeconds(5))).fixedHeader().messageType());
    assertEquals("SUBACK 0x01", PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).toString());
    MqttPublishMessage own = (MqttPublishMessage) join(client.next(Duration.ofSeconds(5)));
    assertEquals("raw/netty", own.variableHeader().topicName());

    join(client.send(RawPacket.v5().pingreq().build()));
    join(client.send(RawPacket.v5().pingreq().typeNibble(0).build()));
    assertEquals(List.of("PINGRESP", "DISCONNECT 0x82"), join(client.untilClosed(Duration.ofSeconds(5))).stream()
      .map(m -> PacketSummary.of(m).toString()).toList());
    join(client.close());
  }

  @Test
  void givenAV5PublishWithBothQosBits_whenSent_thenTheServerClosesTheConnection() throws Exception {
    String host = broker.host();
    int port = broker.port();
    // tag::raw-client[]
    RawPacket qos3 = RawPacket.v5().publish().topic("a/b").qos(3).packetId(1).payload("x").build();
    Future<Void> closed = RawMqttClient.connect(vertx, host, port, true).compose(client -> client
      .send(RawPacket.v5().connect().clientId("example").build())
      .compose(v -> client.next(Duration.ofSeconds(5)))        // the CONNACK
      .compose(connack -> client.send(qos3))
      .compose(v -> client.awaitClose(Duration.ofSeconds(5))));  // MQTT-3.3.1-4: a Malformed Packet closes
    // end::raw-client[]
    join(closed);
  }
}
