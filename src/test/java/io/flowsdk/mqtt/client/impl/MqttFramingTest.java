package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttFramingTest {

  @Test
  void givenAV5ClientCodec_whenTheBrokerSendsTheStartOfAnMqtt311Connect_thenItIsRefusedAndOurPacketsStayV5() {
    MqttFraming framing = new MqttFraming(64 * 1024);
    try {
      framing.encode(Packets.connect(new MqttClientOptions(), true, null, null));
      List<MqttMessage> received = new ArrayList<>();

      // CONNECT, remaining length 34, "MQTT", protocol level 4, flags: the packet's body has not all arrived
      framing.decode(Buffer.buffer(new byte[] {0x10, 0x22, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, (byte) 0xEE}),
        received::add);
      Buffer disconnect = framing.encode(Packets.disconnect(true, DisconnectReason.PROTOCOL_ERROR, "x"));

      assertEquals(1, received.size(), "refused at once, without waiting for the rest of the packet");
      assertTrue(received.get(0).decoderResult().isFailure());
      FlowException cause = assertInstanceOf(FlowException.class, received.get(0).decoderResult().cause());
      assertEquals(FlowError.PROTOCOL_ERROR, cause.error());
      assertEquals("CONNECT from the broker", cause.getMessage());
      // an MQTT 3.1.1 DISCONNECT (e0 00) would have lost the reason code
      assertEquals(0xE0, disconnect.getUnsignedByte(0));
      assertEquals(0x82, disconnect.getUnsignedByte(2));
    } finally {
      framing.close();
    }
  }
}
