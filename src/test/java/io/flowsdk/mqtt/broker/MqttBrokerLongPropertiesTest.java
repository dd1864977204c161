package io.flowsdk.mqtt.broker;

import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.flowsdk.mqtt.broker.BrokerPeers.WAIT;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Valid MQTT 5 packets whose property blocks of 128 bytes or more end in a one-byte property, the blocks Netty's
 * decoder reads wrongly on its own: the broker takes them whole, from raw sockets and from mosquitto_pub.
 */
class MqttBrokerLongPropertiesTest {

  private static final String LONG = "v".repeat(150);

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static RawMqttClient connected(RawPacket connect) throws Exception {
    RawMqttClient client = peers.rawConnecting(peers.port, true, connect);
    MqttConnAckMessage connack = assertInstanceOf(MqttConnAckMessage.class, join(client.next(WAIT)));
    assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connack.variableHeader().connectReturnCode());
    return client;
  }

  /** A raw MQTT 5 client subscribed to {@code topic}. */
  private static RawMqttClient subscribed(String topic) throws Exception {
    RawMqttClient sub = connected(RawPacket.v5().connect().clientId("sub-" + topic).build());
    join(sub.send(RawPacket.v5().subscribe().filter(topic, 0).build()));
    assertInstanceOf(MqttSubAckMessage.class, join(sub.next(WAIT)));
    return sub;
  }

  private static void assertPayloadAndIndicator(MqttMessage received, String payload) {
    MqttPublishMessage publish = assertInstanceOf(MqttPublishMessage.class, received);
    try {
      assertEquals(payload, publish.payload().toString(StandardCharsets.UTF_8));
      MqttProperties.MqttProperty<?> indicator = publish.variableHeader().properties()
        .getProperty(MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value());
      assertEquals(1, indicator == null ? null : indicator.value(), "the Payload Format Indicator is forwarded");
    } finally {
      publish.release();
    }
  }

  @Test
  void givenAConnectWhoseLongPropertiesEndInRequestProblemInformation_whenSent_thenTheBrokerAcceptsIt() throws Exception {
    RawMqttClient client = connected(RawPacket.v5().connect().clientId("long-connect")
      .properties(RawProperties.create().userProperty("k", LONG).requestProblemInformation(1)).build());

    join(client.close());
  }

  @Test
  void givenAPublishWhoseLongPropertiesEndInAPayloadFormatIndicator_whenSent_thenTheSubscriberGetsThePayloadAndTheIndicator()
    throws Exception {
    RawMqttClient sub = subscribed("raw/long");
    RawMqttClient pub = connected(RawPacket.v5().connect().clientId("raw-pub").build());

    join(pub.send(RawPacket.v5().publish().topic("raw/long")
      .properties(RawProperties.create().userProperty("k", LONG).payloadFormatIndicator(1)).payload("hello").build()));

    assertPayloadAndIndicator(join(sub.next(WAIT)), "hello");
    join(pub.close());
    join(sub.close());
  }

  @Test
  void givenMosquittoPub_whenItPublishesLongUserPropertiesThenAPayloadFormatIndicator_thenTheSubscriberGetsBoth()
    throws Exception {
    RawMqttClient sub = subscribed("mosquitto/long");

    // mosquitto_pub writes the properties in command-line order: the indicator last
    peers.mosquittoPub("mqttv5", "-t", "mosquitto/long", "-m", "hello",
      "-D", "publish", "user-property", "k", LONG, "-D", "publish", "payload-format-indicator", "1");

    assertPayloadAndIndicator(join(sub.next(WAIT)), "hello");
    join(sub.close());
  }
}
