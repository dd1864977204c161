package io.flowsdk.mqtt.broker;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cap on retained messages: a new retained topic at the cap is refused with 0x97 and counted; replacing and clearing still work. */
class MqttBrokerRetainedCapTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort().setMaxRetainedMessages(2).setSysIntervalSeconds(0));
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static int nextId = 1;

  /** Publishes a retained QoS 1 message and returns the PUBACK reason code. */
  static int retain(RawMqttClient raw, String topic, String payload) throws Exception {
    int id = nextId++;
    join(raw.send(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(true).messageId(id)
      .payload(Unpooled.copiedBuffer(payload.getBytes(StandardCharsets.UTF_8))).build()));
    MqttMessage ack = join(raw.next(WAIT));
    assertEquals(MqttMessageType.PUBACK, ack.fixedHeader().messageType());
    MqttPubReplyMessageVariableHeader header = (MqttPubReplyMessageVariableHeader) ack.variableHeader();
    assertEquals(id, header.messageId());
    return header.reasonCode() & 0xFF;
  }

  static double refused() {
    return FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_retained_refused_total").tag("limit", "messages").counter().count();
  }

  @Test
  void givenTheCapOfTwo_whenAThirdTopicIsRetained_thenItIsRefusedWith97UntilOneIsCleared() throws Exception {
    RawMqttClient raw = peers.rawConnecting(peers.port, true, BrokerPeers.connect("cap-pub", true, true, 0));
    try {
      join(raw.next(WAIT));
      assertEquals(0x10, retain(raw, "cap/1", "one")); // 0x10: no subscriber, stored
      assertEquals(0x10, retain(raw, "cap/2", "two"));
      assertEquals(0x97, retain(raw, "cap/3", "three"));
      assertEquals(1.0, refused());
      assertEquals(0x10, retain(raw, "cap/1", "one again")); // replacing is not a new topic
      assertEquals(0x10, retain(raw, "cap/2", "")); // clearing makes room
      assertEquals(0x10, retain(raw, "cap/3", "three"));
      assertEquals(1.0, refused());
    } finally {
      join(raw.close());
    }
    RawMqttClient sub = peers.rawConnecting(peers.port, true, BrokerPeers.connect("cap-sub", true, true, 0));
    try {
      join(sub.next(WAIT));
      join(sub.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "cap/#").build()));
      assertEquals(MqttMessageType.SUBACK, join(sub.next(WAIT)).fixedHeader().messageType());
      List<String> retained = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        MqttPublishMessage p = (MqttPublishMessage) join(sub.next(WAIT));
        retained.add(p.variableHeader().topicName() + "=" + p.payload().toString(StandardCharsets.UTF_8));
      }
      retained.sort(null);
      assertEquals(List.of("cap/1=one again", "cap/3=three"), retained);
    } finally {
      join(sub.close());
    }
  }
}
