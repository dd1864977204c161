package io.flowsdk.mqtt.client.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.vertx.core.buffer.Buffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target: any bytes from a broker, decoded by the client's codec into a connected MQTT 5 session. No exception
 * escapes; afterwards the session is still usable or has closed its connection (docs/protocol-testing.md).
 */
class ClientSessionFuzzTest {

  @FuzzTest
  void givenAConnectedSession_whenAnyBytesArrive_thenNothingEscapesAndTheSessionContinuesOrCloses(byte[] data) {
    Harness h = new Harness(new MqttClientOptions().setMaximumPacketSize(64 * 1024));
    h.connect();
    MqttFraming framing = new MqttFraming(64 * 1024);
    framing.encode(Packets.connect(new MqttClientOptions(), true, null, null)); // the decoder learns MQTT 5
    try {
      framing.decode(Buffer.buffer(data), h.session::receive);
      h.timers.advance(120_000);
    } finally {
      framing.close();
    }
    assertTrue(h.session.isConnected() || h.sink.closed, () -> "not connected, yet the connection is open; errors " + h.errors);
  }
}
