package io.flowsdk.mqtt.broker;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that sends QoS 0 faster than the broker routes it is slowed down (TCP), never dropped
 * below the broker's limits: a burst read in a few socket reads once queued more hand-offs to the
 * sessions' event loop than the flow bus lets wait, and the bus dropped the rest (the broker
 * benchmark lost 30 % of a 1→1 QoS 0 flow that way).
 */
class MqttBrokerPublishPacingTest {

  private static final int BURST = 20_000;
  private static final String TOPIC = "pacing/t";

  @Test
  void givenAQos0BurstInOneWrite_whenTheBrokerRoutesIt_thenTheSubscriberGetsEveryMessageInOrder() throws Exception {
    try (BrokerPeers peers = BrokerPeers.start(BrokerPeers.onFreePort())) {
      RawMqttClient subscriber = peers.rawConnecting(peers.port, true, BrokerPeers.connect("pacing-sub", true, true, 0));
      RawMqttClient publisher = peers.rawConnecting(peers.port, true, BrokerPeers.connect("pacing-pub", true, true, 0));
      try {
        assertEquals(MqttMessageType.CONNACK, join(subscriber.next(WAIT)).fixedHeader().messageType());
        join(subscriber.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, TOPIC).build()));
        assertEquals(MqttMessageType.SUBACK, join(subscriber.next(WAIT)).fixedHeader().messageType());
        assertEquals(MqttMessageType.CONNACK, join(publisher.next(WAIT)).fixedHeader().messageType());

        join(publisher.send(Buffer.buffer(burst())));

        for (int i = 0; i < BURST; i++) { // a lost message shows as a read timeout, or as the wrong number
          MqttMessage m = join(subscriber.next(WAIT));
          assertEquals(MqttMessageType.PUBLISH, m.fixedHeader().messageType());
          assertEquals(i, ((MqttPublishMessage) m).payload().readInt(), "message " + i + " of " + BURST);
        }
      } finally {
        join(subscriber.close());
        join(publisher.close());
      }
    }
  }

  /** {@link #BURST} MQTT 5 QoS 0 PUBLISH packets on {@link #TOPIC}, the payload of each its number. */
  private static byte[] burst() {
    byte[] topic = TOPIC.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < BURST; i++) {
      out.writeBytes(bytes(0x30, 2 + topic.length + 1 + 4, 0, topic.length));
      out.writeBytes(topic);
      out.writeBytes(bytes(0, i >>> 24, (i >>> 16) & 0xFF, (i >>> 8) & 0xFF, i & 0xFF));
    }
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
