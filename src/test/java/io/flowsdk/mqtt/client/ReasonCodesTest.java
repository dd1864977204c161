package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReasonCodesTest {

  @Test
  void givenEveryReasonCode_whenLookedUpByItsWireCode_thenItIsFound() {
    for (AuthReason r : AuthReason.values()) {
      assertEquals(r, AuthReason.of(r.code()));
    }
    for (ConnectReason r : ConnectReason.values()) {
      assertEquals(r, ConnectReason.of(r.code()));
    }
    for (DisconnectReason r : DisconnectReason.values()) {
      assertEquals(r, DisconnectReason.of(r.code()));
    }
    for (PubAckReason r : PubAckReason.values()) {
      assertEquals(r, PubAckReason.of(r.code()));
    }
    for (PubRecReason r : PubRecReason.values()) {
      assertEquals(r, PubRecReason.of(r.code()));
    }
    for (PubCompReason r : PubCompReason.values()) {
      assertEquals(r, PubCompReason.of(r.code()));
    }
    for (SubAckReason r : SubAckReason.values()) {
      assertEquals(r, SubAckReason.of(r.code()));
    }
    for (UnsubAckReason r : UnsubAckReason.values()) {
      assertEquals(r, UnsubAckReason.of(r.code()));
    }
  }

  @Test
  void givenACodeThePacketKindDoesNotHave_whenLookedUp_thenItFailsAsAProtocolErrorNamingTheKind() {
    FlowException e = assertThrows(FlowException.class, () -> PubRecReason.of(0x8C));

    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
    assertEquals("unknown PubRecReason code 0x8c", e.getMessage());
  }
}
