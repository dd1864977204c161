package io.flowsdk.bus.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.FlowException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: {@link NodeDeliveryCodec} on any bytes from another node. Decoding returns a delivery or fails with a
 * {@link FlowException}; a delivery it returns encodes to bytes that decode to the same delivery.
 */
class NodeDeliveryCodecFuzzTest {

  private final NodeDeliveryCodec codec = new NodeDeliveryCodec();

  @FuzzTest
  void givenAnyBytes_whenDecoded_thenAFlowExceptionOrADeliveryThatRoundTrips(byte[] data) {
    NodeDelivery decoded = CodecFuzzing.decodedOrRefused(codec, data);
    if (decoded == null) {
      return;
    }
    NodeDelivery again = CodecFuzzing.roundTripped(codec, decoded);

    assertEquals(decoded.message, again.message);
    assertEquals(decoded.sourceNode, again.sourceNode);
    assertEquals(decoded.deliveryId, again.deliveryId);
    assertEquals(decoded.toAllSubscribers, again.toAllSubscribers);
    assertEquals(decoded.sharedFilters, again.sharedFilters);
    assertEquals(decoded.exceptOwner, again.exceptOwner);
  }
}
