package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Promise;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-to-broker QoS state machine without sockets. */
class InboundFlowTest {

  private final List<String> acks = new ArrayList<>();

  private final InboundFlow.Acks recorder = new InboundFlow.Acks() {
    @Override
    public void puback(int packetId, int reason) {
      acks.add("PUBACK " + packetId + " " + reason);
    }

    @Override
    public void pubrec(int packetId, int reason) {
      acks.add("PUBREC " + packetId + " " + reason);
    }

    @Override
    public void pubcomp(int packetId, int reason) {
      acks.add("PUBCOMP " + packetId + " " + reason);
    }

    @Override
    public void refused(int packetId, int qos, int reason) {
      acks.add("REFUSED " + packetId + " " + reason);
    }
  };

  @Test
  void givenTwoPublishes_whenTheBusTakesTheSecondFirst_thenAcksStillGoInArrivalOrder() {
    InboundFlow flow = new InboundFlow(10, SessionJournal.NONE);
    flow.attach(recorder);
    Promise<Integer> first = Promise.promise();
    Promise<Integer> second = Promise.promise();
    assertTrue(flow.admit(1, 1));
    flow.complete(1, 1, first.future());
    assertTrue(flow.admit(2, 1));
    flow.complete(2, 1, second.future());
    second.complete(0x10);
    assertEquals(List.of(), acks, "the second waits for the first");
    first.complete(0);
    assertEquals(List.of("PUBACK 1 0", "PUBACK 2 16"), acks);
  }

  @Test
  void givenAQos2PublishTaken_whenTheClientSendsItAgainAfterACut_thenItIsNotPublishedTwiceAndPubrecGoesAgain() {
    InboundFlow flow = new InboundFlow(10, SessionJournal.NONE);
    flow.attach(recorder);
    assertTrue(flow.admit(7, 2));
    flow.complete(7, 2, io.vertx.core.Future.succeededFuture(0));
    flow.detach(recorder);
    flow.attach(recorder);
    assertFalse(flow.admit(7, 2), "a copy of a message the bus already has");
    flow.onPubrel(7);
    flow.onPubrel(7);
    assertEquals(List.of("PUBREC 7 0", "PUBREC 7 0", "PUBCOMP 7 0", "PUBCOMP 7 146"), acks);
    assertTrue(flow.admit(7, 2), "after PUBCOMP the id is a new message");
  }

  @Test
  void givenOurReceiveMaximumOf2_whenAThirdUnacknowledgedArrives_thenItIsReceiveMaximumExceeded() {
    InboundFlow flow = new InboundFlow(2, SessionJournal.NONE);
    flow.attach(recorder);
    flow.admit(1, 1);
    flow.admit(2, 2);
    ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> flow.admit(3, 1));
    assertEquals(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, v.reason());
  }

  @Test
  void givenTheBusRefusesAPublish_thenItIsRefusedWithTheReasonAndNotAcknowledged() {
    InboundFlow flow = new InboundFlow(10, SessionJournal.NONE);
    flow.attach(recorder);
    flow.admit(1, 1);
    flow.complete(1, 1, io.vertx.core.Future.failedFuture(
      new RefusedPublish(new FlowException(FlowError.NOT_AUTHORIZED, "no"))));
    flow.admit(2, 2);
    flow.complete(2, 2, io.vertx.core.Future.failedFuture(
      new RefusedPublish(new FlowException(FlowError.TOO_LARGE, "big"))));
    assertEquals(List.of("REFUSED 1 135", "REFUSED 2 131"), acks);
    assertEquals(0, flow.unacknowledged(), "a refused QoS 2 message is not awaiting PUBREL");
  }
}
