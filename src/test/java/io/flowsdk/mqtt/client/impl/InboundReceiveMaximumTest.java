package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.MqttClientOptions;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import static io.flowsdk.mqtt.client.impl.Harness.publish;
import static io.flowsdk.mqtt.client.impl.Harness.pubReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What our Receive Maximum is held against: messages we have not acknowledged yet (PUBACK, PUBREC).
 * Mosquitto 2.0 sends the next QoS 2 message as soon as it has our PUBREC, before it sends PUBREL.
 */
class InboundReceiveMaximumTest {

  @Test
  void givenReceiveMaximum1AndAQos2MessageAwaitingPubrel_whenTheBrokerSendsTheNextOne_thenItIsAcceptedAndAcknowledged() {
    Harness h = new Harness(new MqttClientOptions().setReceiveMaximum(1));
    h.connect();
    h.session.receive(publish("a", 2, 1, false, "1", MqttProperties.NO_PROPERTIES));
    h.sink.only(MqttMessageType.PUBREC);

    h.session.receive(publish("a", 2, 2, false, "2", MqttProperties.NO_PROPERTIES));

    h.sink.only(MqttMessageType.PUBREC);
    assertFalse(h.sink.closed);
    assertEquals(2, h.messages.size());
    h.session.receive(pubReply(MqttMessageType.PUBREL, 1, 0));
    h.session.receive(pubReply(MqttMessageType.PUBREL, 2, 0));
    assertEquals(2, h.sink.take().stream().filter(p -> p.fixedHeader().messageType() == MqttMessageType.PUBCOMP).count());
    assertEquals(0, h.session.inboundUnacknowledged());
  }

  @Test
  void givenReceiveMaximum1AndAQos2MessageNotYetAcknowledged_whenTheBrokerSendsAnother_thenDisconnectReceiveMaximumExceeded() {
    Harness h = new Harness(new MqttClientOptions().setReceiveMaximum(1));
    h.connect();
    h.handler = m -> Promise.<Void>promise().future();
    h.session.receive(publish("a", 2, 1, false, "1", MqttProperties.NO_PROPERTIES));

    h.session.receive(publish("a", 2, 2, false, "2", MqttProperties.NO_PROPERTIES));

    assertEquals(0x93, Harness.reasonOf(h.sink.only(MqttMessageType.DISCONNECT)));
  }
}
