package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import org.junit.jupiter.api.Test;

import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReasonCodesTest {

  @Test
  void givenEveryReasonCode_whenLookedUpByItsWireCode_thenItIsFound() {
    assertEachFoundByItsCode(AuthReason.values(), AuthReason::of);
    assertEachFoundByItsCode(ConnectReason.values(), ConnectReason::of);
    assertEachFoundByItsCode(DisconnectReason.values(), DisconnectReason::of);
    assertEachFoundByItsCode(PubAckReason.values(), PubAckReason::of);
    assertEachFoundByItsCode(PubRecReason.values(), PubRecReason::of);
    assertEachFoundByItsCode(PubCompReason.values(), PubCompReason::of);
    assertEachFoundByItsCode(SubAckReason.values(), SubAckReason::of);
    assertEachFoundByItsCode(UnsubAckReason.values(), UnsubAckReason::of);
  }

  @Test
  void givenACodeThePacketKindDoesNotHave_whenLookedUp_thenItFailsAsAProtocolErrorNamingTheKind() {
    FlowException e = assertThrows(FlowException.class, () -> PubRecReason.of(0x8C));

    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
    assertEquals("unknown PubRecReason code 0x8c", e.getMessage());
  }

  private static <R extends ReasonCode> void assertEachFoundByItsCode(R[] all, IntFunction<R> of) {
    for (R r : all) {
      assertEquals(r, of.apply(r.code()));
    }
  }
}
