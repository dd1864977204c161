package io.flowsdk.grpc.impl;

import io.flowsdk.bus.PublishResult;
import io.flowsdk.grpc.v1.PublishResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnaryCallsTest {

  @Test
  void givenAnAcknowledgedPublishThatAStaleRouteSentToANodeWithoutSubscribers_thenTheReplySaysNoSubscribers() {
    PublishResponse reply = UnaryCalls.toProto(new PublishResult(1, 0, true));
    assertTrue(reply.getNoSubscribers(), reply.toString());
  }

  @Test
  void givenQos0RoutedToAnotherNode_thenTheReplyDoesNotClaimNoSubscribers() {
    // at QoS 0 remote nodes do not count their subscribers: subscribers == 0 says nothing about them
    assertFalse(UnaryCalls.toProto(new PublishResult(1, 0, false)).getNoSubscribers());
    assertTrue(UnaryCalls.toProto(new PublishResult(0, 0, false)).getNoSubscribers());
  }
}
