package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceCheckTest {

  @Test
  void givenFlowSdkNumberingWhenEstablishAndConnectAreBoth0ThenTheCountGoesOnFrom1() {
    SequenceCheck check = SequenceCheck.fromClientSide();
    check.accept(0);
    check.accept(0);
    check.accept(1);
    check.accept(2);
  }

  @Test
  void givenARepeatedIdLaterWhenItArrivesThenItIsAGap() {
    SequenceCheck check = SequenceCheck.fromClientSide();
    check.accept(0);
    check.accept(1);
    FlowException e = assertThrows(FlowException.class, () -> check.accept(1));
    assertEquals(FlowError.PROTOCOL_ERROR, e.error());
    assertEquals("sequence gap: expected sequence id 2 but received 1", e.getMessage());
  }

  @Test
  void givenAFirstMessageThatIsNot0WhenItArrivesThenItIsAGap() {
    assertThrows(FlowException.class, () -> SequenceCheck.fromClientSide().accept(3));
  }

  @Test
  void givenTheBrokerSideWhenItStartsAt1ThenThatIsItsFirstIdAndGapsAfterItAreSeen() {
    SequenceCheck check = SequenceCheck.fromBrokerSide();
    check.accept(1);
    check.accept(2);
    assertThrows(FlowException.class, () -> check.accept(4));
  }
}
