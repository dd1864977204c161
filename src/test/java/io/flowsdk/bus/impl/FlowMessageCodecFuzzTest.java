package io.flowsdk.bus.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: {@link FlowMessageCodec} on any bytes a node may receive. Decoding returns a message or fails with a
 * {@link FlowException}, nothing else; a message it returns round-trips through encode and decode unchanged.
 */
class FlowMessageCodecFuzzTest {

  private final FlowMessageCodec codec = new FlowMessageCodec();

  @FuzzTest
  void givenAnyBytes_whenDecoded_thenAFlowExceptionOrAMessageThatRoundTrips(byte[] data) {
    FlowMessage decoded = CodecFuzzing.decodedOrRefused(codec, data);
    if (decoded != null) {
      assertEquals(decoded, CodecFuzzing.roundTripped(codec, decoded));
    }
  }
}
