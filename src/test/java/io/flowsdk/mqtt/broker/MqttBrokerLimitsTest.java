package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
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

  private static RawMqttClient subscribed(String id, String filter, boolean v5) throws Exception {
    RawMqttClient raw = peers.rawConnecting(peers.port, v5, BrokerPeers.connect(id, v5, true, 0));
    assertEquals(MqttMessageType.CONNACK, join(raw.next(WAIT)).fixedHeader().messageType());
    join(raw.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build()));
    assertEquals(MqttMessageType.SUBACK, join(raw.next(WAIT)).fixedHeader().messageType());
    return raw;
  }

  @Test
  void givenASubscriberThatDoesNotAck_whenTenArrive_thenTwoAreInFlightThreeQueuedTheOldestDroppedAndCountedAndPublishersNotHeldBack()
    throws Exception {
    RawMqttClient slow = subscribed("slow", "slow/+", true);
    try {
      for (int i = 1; i <= 10; i++) {
        join(peers.bus.publish(FlowMessage.builder("slow/" + i).payload("m").qos(QoS.AT_LEAST_ONCE).build()));
      }
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        MqttPublishMessage m = (MqttPublishMessage) join(slow.next(WAIT));
        got.add(m.variableHeader().topicName());
        join(slow.send(ack(MqttMessageType.PUBACK, m.variableHeader().packetId())));
      }
      assertEquals(List.of("slow/1", "slow/2", "slow/8", "slow/9", "slow/10"), got);
      assertEquals(5.0, FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_dropped_total", "reason", "queue_full").count());
    } finally {
      join(slow.close());
    }
  }

  private static MqttMessage tooBigForTheBus(int qos) {
    return MqttMessageBuilders.publish().topicName("big/x").qos(MqttQoS.valueOf(qos)).messageId(9)
      .payload(Unpooled.wrappedBuffer(new byte[2000])).build();
  }

  @Test
  void givenAPublishTheBusRefuses_whenMqtt5_thenPubackOrDisconnectCarry0x83AndNothingArrives() throws Exception {
    RawMqttClient sub = subscribed("big-sub", "big/#", false);
    RawMqttClient pub = peers.rawConnecting(peers.port, true, BrokerPeers.connect("big5", true, true, 0));
    try {
      join(pub.next(WAIT));
      join(pub.send(tooBigForTheBus(1)));
      MqttMessage puback = join(pub.next(WAIT));
      assertEquals(MqttMessageType.PUBACK, puback.fixedHeader().messageType());
      assertEquals(0x83, ((MqttPubReplyMessageVariableHeader) puback.variableHeader()).reasonCode() & 0xFF);
      join(pub.send(tooBigForTheBus(2)));
      List<MqttMessage> last = join(pub.untilClosed(WAIT)); // vertx-mqtt 5.0.7 cannot put a reason on a PUBREC
      assertEquals(MqttMessageType.DISCONNECT, last.get(0).fixedHeader().messageType());
      assertEquals(0x83, ((MqttReasonCodeAndPropertiesVariableHeader) last.get(0).variableHeader()).reasonCode() & 0xFF);

      join(peers.bus.publish(FlowMessage.builder("big/marker").payload("m").qos(QoS.AT_LEAST_ONCE).build()));
      MqttPublishMessage first = (MqttPublishMessage) join(sub.next(WAIT));
      assertEquals("big/marker", first.variableHeader().topicName(), "the refused ones never reached the subscriber");
    } finally {
      join(pub.close());
      join(sub.close());
    }
  }

  @Test
  void givenAPublishTheBusRefuses_whenMqtt311_thenTheConnectionClosesWithoutPubackAndItIsCounted() throws Exception {
    Counter refused = FlowMetrics.registry(peers.vertx).counter("flowsdk_mqtt_broker_publish_refused_total", "error", "TOO_LARGE");
    double before = refused.count();
    RawMqttClient pub = peers.rawConnecting(peers.port, false, BrokerPeers.connect("big3", false, true, 0));
    try {
      join(pub.next(WAIT));
      join(pub.send(tooBigForTheBus(1)));
      assertEquals(List.of(), join(pub.untilClosed(WAIT)));
    } finally {
      join(pub.close());
    }
    assertEquals(before + 1, refused.count());
  }
}
