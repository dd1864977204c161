package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.broker.MqttBrokerSessionTest.ack;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bounds and the failure paths: a slow subscriber, a publish the bus refuses. */
class MqttBrokerLimitsTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    Vertx vertx = Vertx.vertx();
    join(FlowBus.create(vertx, new FlowBusOptions().setMaxMessageBytes(1024)));
    peers = BrokerPeers.start(vertx, BrokerPeers.onFreePort().setMaxInflight(2).setMaxQueuedMessages(3));
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static RawMqtt subscribed(String id, String filter, MqttVersion version) throws Exception {
    RawMqtt raw = new RawMqtt(peers.port, version).send(RawMqtt.connect(id, version));
    assertEquals(MqttMessageType.CONNACK, raw.readPacket().fixedHeader().messageType());
    raw.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build());
    assertEquals(MqttMessageType.SUBACK, raw.readPacket().fixedHeader().messageType());
    return raw;
  }

  @Test
  void givenASubscriberThatDoesNotAck_whenTenArrive_thenTwoAreInFlightThreeQueuedTheOldestDroppedAndCountedAndPublishersNotHeldBack()
    throws Exception {
    try (RawMqtt slow = subscribed("slow", "slow/+", MqttVersion.MQTT_5)) {
      for (int i = 1; i <= 10; i++) {
        join(peers.bus.publish(FlowMessage.builder("slow/" + i).payload("m").qos(QoS.AT_LEAST_ONCE).build()));
      }
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        MqttPublishMessage m = (MqttPublishMessage) slow.readPacket();
        got.add(m.variableHeader().topicName());
        slow.send(ack(MqttMessageType.PUBACK, m.variableHeader().packetId()));
      }
      assertEquals(List.of("slow/1", "slow/2", "slow/8", "slow/9", "slow/10"), got);
      assertEquals(5.0, FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_dropped_total", "reason", "queue_full").count());
    }
  }

  private static MqttMessage tooBigForTheBus(int qos) {
    return MqttMessageBuilders.publish().topicName("big/x").qos(MqttQoS.valueOf(qos)).messageId(9)
      .payload(Unpooled.wrappedBuffer(new byte[2000])).build();
  }

  @Test
  void givenAPublishTheBusRefuses_whenMqtt5_thenPubackOrDisconnectCarry0x83AndNothingArrives() throws Exception {
    try (RawMqtt sub = subscribed("big-sub", "big/#", MqttVersion.MQTT_3_1_1);
         RawMqtt pub = new RawMqtt(peers.port, MqttVersion.MQTT_5).send(RawMqtt.connect("big5", MqttVersion.MQTT_5))) {
      pub.readPacket();
      pub.send(tooBigForTheBus(1));
      MqttMessage puback = pub.readPacket();
      assertEquals(MqttMessageType.PUBACK, puback.fixedHeader().messageType());
      assertEquals(0x83, ((MqttPubReplyMessageVariableHeader) puback.variableHeader()).reasonCode() & 0xFF);
      pub.send(tooBigForTheBus(2));
      List<MqttMessage> last = pub.readUntilClosed(); // vertx-mqtt 5.0.7 cannot put a reason on a PUBREC
      assertEquals(MqttMessageType.DISCONNECT, last.get(0).fixedHeader().messageType());
      assertEquals(0x83, ((MqttReasonCodeAndPropertiesVariableHeader) last.get(0).variableHeader()).reasonCode() & 0xFF);

      join(peers.bus.publish(FlowMessage.builder("big/marker").payload("m").qos(QoS.AT_LEAST_ONCE).build()));
      MqttPublishMessage first = (MqttPublishMessage) sub.readPacket();
      assertEquals("big/marker", first.variableHeader().topicName(), "the refused ones never reached the subscriber");
    }
  }

  @Test
  void givenAPublishTheBusRefuses_whenMqtt311_thenTheConnectionClosesWithoutPubackAndItIsCounted() throws Exception {
    Counter refused = FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_publish_refused_total", "error", "TOO_LARGE");
    double before = refused.count();
    try (RawMqtt pub = new RawMqtt(peers.port, MqttVersion.MQTT_3_1_1).send(RawMqtt.connect("big3", MqttVersion.MQTT_3_1_1))) {
      pub.readPacket();
      assertEquals(List.of(), pub.send(tooBigForTheBus(1)).readUntilClosed());
    }
    assertEquals(before + 1, refused.count());
  }
}
