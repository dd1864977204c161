package io.flowsdk.bus.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.buffer.Buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: {@link FlowMessageCodec} on any bytes a node may receive. Decoding returns a message or fails with a
 * {@link FlowException}, nothing else; a message it returns round-trips through encode and decode unchanged.
 */
class FlowMessageCodecFuzzTest {

  private final FlowMessageCodec codec = new FlowMessageCodec();

  @FuzzTest
  void givenAnyBytes_whenDecoded_thenAFlowExceptionOrAMessageThatRoundTrips(byte[] data) {
    FlowMessage decoded;
    try {
      decoded = codec.decodeFromWire(0, Buffer.buffer(data));
    } catch (FlowException expected) {
      return;
    }
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, decoded);

    assertEquals(decoded, codec.decodeFromWire(0, wire));
  }
}
