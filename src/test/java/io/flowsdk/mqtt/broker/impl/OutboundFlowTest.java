package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.mqtt.broker.impl.BrokerMeters.DropReason;
import io.flowsdk.util.BoundedQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker-to-client state machine without sockets: deliveries in, packets out. */
class OutboundFlowTest {

  private long now = 1_000_000;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BrokerMeters meters = new BrokerMeters(registry);

  private OutboundFlow flow(int maxInflight, int queue, OverflowPolicy policy) {
    return flow(maxInflight, false, queue, policy);
  }

  private OutboundFlow flow(int maxInflight, boolean backpressure, int queue, OverflowPolicy policy) {
    return new OutboundFlow(maxInflight, backpressure, new BoundedQueue<>(queue, policy.victim(), d -> d.message.priority()), meters,
      () -> now, SessionJournal.NONE);
  }

  private static Delivery delivery(String topic, int qos) {
    return new Delivery(FlowMessage.builder(topic).payload("p").timestamp(1_000_000).build(), qos, false, List.of());
  }

  @Test
  void givenTheClientsReceiveMaximumOf2_whenFourQos1Arrive_thenTwoAreSentAndEachPubackReleasesTheNext() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(true);
    flow.attach(link, 2, Long.MAX_VALUE);
    for (int i = 1; i <= 4; i++) {
      flow.deliver(delivery("t/" + i, 1));
    }
    assertEquals(List.of("PUBLISH 1 t/1 q1", "PUBLISH 2 t/2 q1"), link.take());
    flow.onPuback(1);
    assertEquals(List.of("PUBLISH 3 t/3 q1"), link.take());
    flow.onPuback(1); // a duplicate ack changes nothing
    assertEquals(List.of(), link.take());
    flow.onPuback(2);
    flow.onPuback(3);
    assertEquals(List.of("PUBLISH 4 t/4 q1"), link.take());
  }

  @Test
  void givenQos2InFlight_whenTheClientComesBack_thenUnacknowledgedGoAgainWithDupAndReleasedGetPubrel() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink first = new RecordingLink(true);
    flow.attach(first, 65_535, Long.MAX_VALUE);
    flow.deliver(delivery("a", 2));
    flow.deliver(delivery("b", 2));
    flow.onPubrec(1, false);
    assertEquals(List.of("PUBLISH 1 a q2", "PUBLISH 2 b q2", "PUBREL 1"), first.take());

    flow.detach();
    flow.deliver(delivery("c", 1));   // queued while away
    flow.deliver(delivery("zero", 0)); // QoS 0 for an absent client: dropped
    RecordingLink second = new RecordingLink(true);
    flow.attach(second, 65_535, Long.MAX_VALUE);
    assertEquals(List.of("PUBREL 1", "PUBLISH 2 b q2 dup", "PUBLISH 3 c q1"), second.take());
    assertEquals(1, meters.droppedCount(DropReason.OFFLINE));

    flow.onPubcomp(1);
    flow.onPubrec(2, false);
    flow.onPubcomp(2);
    flow.onPuback(3);
    assertEquals(0, flow.inflightCount());
  }

  /** A shared QoS 1 message sent as packet 1 to a client that then left, taken out of its session for the hand-on. */
  private static List<StoredDelivery> sentAndTakenForHandOn(OutboundFlow flow) {
    RecordingLink first = new RecordingLink(true);
    flow.attach(first, 65_535, Long.MAX_VALUE);
    Delivery shared = delivery("jobs/1", 1);
    shared.sharedFilter = "$share/g/jobs/#";
    flow.deliver(shared);
    assertEquals(List.of("PUBLISH 1 jobs/1 q1"), first.take());
    flow.detach();
    return flow.takeShared();
  }

  @Test
  void givenASharedQos1InFlight_whenTheClientIsBackBeforeTheHandOnFindsNoOtherMember_thenItGoesAgainWithDupUnderItsId() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    List<StoredDelivery> taken = sentAndTakenForHandOn(flow);
    RecordingLink second = new RecordingLink(true);
    flow.attach(second, 65_535, Long.MAX_VALUE); // the client resumes before it ends
    assertEquals(List.of(), second.take());
    flow.giveBack(taken); // no other member took it
    assertEquals(List.of("PUBLISH 1 jobs/1 q1 dup"), second.take());
    flow.onPuback(1);
    assertEquals(0, flow.inflightCount());
  }

  @Test
  void givenTheResumedClientsWindowIsFull_whenAHandOnGivesBack_thenTheMessageQueuesFirstAndGoesWhenThereIsRoom() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    List<StoredDelivery> taken = sentAndTakenForHandOn(flow);
    RecordingLink second = new RecordingLink(true);
    flow.attach(second, 1, Long.MAX_VALUE); // Receive Maximum 1
    flow.deliver(delivery("other", 1));
    assertEquals(List.of("PUBLISH 2 other q1"), second.take());
    flow.giveBack(taken);
    assertEquals(List.of(), second.take(), "never more in flight than the client's Receive Maximum");
    flow.onPuback(2);
    assertEquals(List.of("PUBLISH 3 jobs/1 q1"), second.take());
  }

  @Test
  void givenADeliveryTheClientCannotTake_thenItsSourceHearsItRefusedNotGivenBackAndTheNextGoes() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(true);
    flow.attach(link, 1, 40); // Maximum Packet Size 40
    List<String> ended = new ArrayList<>();
    Delivery big = new Delivery(FlowMessage.builder("$queue/a").payload("x".repeat(100)).build(), 1, false, List.of());
    big.settlement = ending -> ended.add("big " + ending);
    flow.deliver(big);
    flow.deliver(delivery("$queue/a", 1));

    assertEquals(List.of("big REFUSED"), ended);
    assertEquals(List.of("PUBLISH 1 $queue/a q1"), link.take());
  }

  @Test
  void givenDeliveriesTheirSourceSettles_whenAckedOrTheClientGoes_thenTheSourceHearsOnceEachAndNothingIsResent() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(true);
    flow.attach(link, 1, Long.MAX_VALUE);
    List<String> ended = new ArrayList<>();
    for (String t : List.of("$queue/a", "$queue/b", "$queue/c")) {
      Delivery d = delivery(t, 1);
      d.settlement = ending -> ended.add(t + " " + ending);
      flow.deliver(d);
    }
    assertEquals(List.of("PUBLISH 1 $queue/a q1"), link.take());
    flow.onPuback(1);
    assertEquals(List.of("PUBLISH 2 $queue/b q1"), link.take());

    flow.detach(); // b in flight, c queued: both go back to their queue, not to the next connection
    RecordingLink next = new RecordingLink(true);
    flow.attach(next, 1, Long.MAX_VALUE);
    assertEquals(List.of(), next.take());
    assertEquals(List.of("$queue/a ACKNOWLEDGED", "$queue/b GIVEN_BACK", "$queue/c GIVEN_BACK"), ended);
    assertEquals(0, flow.inflightCount());
    assertEquals(0, flow.queuedCount());
  }

  @Test
  void givenAFullQueue_whenMoreArrive_thenThePolicyDropsAndCounts() {
    OutboundFlow oldest = flow(1, 2, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(false);
    oldest.attach(link, 1, Long.MAX_VALUE);
    for (String t : List.of("w", "x", "y", "z")) {
      oldest.deliver(delivery(t, 1));
    }
    oldest.onPuback(1);
    oldest.onPuback(2);
    assertEquals(List.of("PUBLISH 1 w q1", "PUBLISH 2 y q1", "PUBLISH 3 z q1"), link.take());
    assertEquals(1, meters.droppedCount(DropReason.QUEUE_FULL));

    OutboundFlow newest = flow(1, 2, OverflowPolicy.DROP_NEWEST);
    RecordingLink other = new RecordingLink(false);
    newest.attach(other, 1, Long.MAX_VALUE);
    for (String t : List.of("w", "x", "y", "z")) {
      newest.deliver(delivery(t, 1));
    }
    newest.onPuback(1);
    newest.onPuback(2);
    assertEquals(List.of("PUBLISH 1 w q1", "PUBLISH 2 x q1", "PUBLISH 3 y q1"), other.take());
  }

  @Test
  void givenQueueBackpressure_whenTheQueueOfAConnectedClientIsFull_thenQos1WaitsForRoomInOrderAndNothingIsDropped() {
    OutboundFlow flow = flow(1, true, 2, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(false);
    flow.attach(link, 1, Long.MAX_VALUE);
    List<Future<Void>> accepted = new ArrayList<>();
    for (String t : List.of("w", "x", "y", "z", "zz")) {
      accepted.add(flow.deliver(delivery(t, 1)));
    }
    assertEquals(List.of(true, true, true, false, false), accepted.stream().map(Future::isComplete).toList(),
      "w is sent, x and y queue, z and zz wait for room");
    assertTrue(flow.deliver(delivery("zero", 0)).isComplete(), "QoS 0 never waits: it is dropped, not x");
    assertEquals(1, meters.droppedCount(DropReason.QUEUE_FULL));

    flow.onPuback(1);
    assertTrue(accepted.get(3).isComplete(), "x left the queue: z took its place");
    assertFalse(accepted.get(4).isComplete());
    for (int id = 2; id <= 5; id++) {
      flow.onPuback(id);
    }
    assertEquals(List.of("PUBLISH 1 w q1", "PUBLISH 2 x q1", "PUBLISH 3 y q1", "PUBLISH 4 z q1", "PUBLISH 5 zz q1"), link.take());
    assertTrue(accepted.get(4).isComplete());
    assertEquals(2.0, registry.get("flowsdk_mqtt_broker_publishers_held_total").counter().count());
  }

  @Test
  void givenQueueBackpressure_whenTheClientGoesWithDeliveriesWaiting_thenTheyAreReleasedAndTheQueuesPolicyDecides() {
    OutboundFlow flow = flow(1, true, 1, OverflowPolicy.DROP_NEWEST);
    RecordingLink link = new RecordingLink(false);
    flow.attach(link, 1, Long.MAX_VALUE);
    flow.deliver(delivery("sent", 1));
    flow.deliver(delivery("queued", 1));
    Future<Void> waiting = flow.deliver(delivery("waiting", 1));
    assertFalse(waiting.isComplete());

    flow.detach();
    assertTrue(waiting.isComplete(), "its publisher is not held by an absent client");
    assertEquals(1, meters.droppedCount(DropReason.QUEUE_FULL));
    Future<Void> whileAway = flow.deliver(delivery("away", 1));
    assertTrue(whileAway.isComplete(), "an away client's full queue drops instead of holding");
    assertEquals(2, meters.droppedCount(DropReason.QUEUE_FULL));
  }

  @Test
  void givenAFullQueueUnderDropLowestPriority_whenOneOfEqualPriorityArrives_thenTheOldestOfThatPriorityIsDropped() {
    OutboundFlow flow = flow(64, 2, OverflowPolicy.DROP_LOWEST_PRIORITY);
    flow.deliver(withPriority("old-low", 1)); // the client is away: all queue
    flow.deliver(withPriority("high", 5));
    flow.deliver(withPriority("new-low", 1));
    flow.deliver(withPriority("lower", 0)); // below every queued one: it is the one dropped
    RecordingLink link = new RecordingLink(false);
    flow.attach(link, 65_535, Long.MAX_VALUE);
    assertEquals(List.of("PUBLISH 1 high q1", "PUBLISH 2 new-low q1"), link.take());
    assertEquals(2, meters.droppedCount(DropReason.QUEUE_FULL));
  }

  private static Delivery withPriority(String topic, int priority) {
    return new Delivery(FlowMessage.builder(topic).payload("p").priority(priority).timestamp(1_000_000).build(), 1, false, List.of());
  }

  @Test
  void givenTheClientsMaximumPacketSize_whenADeliveryIsBigger_thenItIsDroppedAndCountedAndTheNextGoes() {
    OutboundFlow flow = flow(64, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(true);
    flow.attach(link, 65_535, 30);
    flow.deliver(new Delivery(FlowMessage.builder("big").payload("x".repeat(100)).build(), 1, false, List.of()));
    flow.deliver(delivery("ok", 1));
    assertEquals(List.of("PUBLISH 1 ok q1"), link.take());
    assertEquals(1, meters.droppedCount(DropReason.TOO_LARGE));
  }

  @Test
  void givenAQueuedMessageWithExpiry_whenItRunsOutBeforeSending_thenItIsDroppedElseSentWithTheRemainingExpiry() {
    OutboundFlow flow = flow(1, 100, OverflowPolicy.DROP_OLDEST);
    RecordingLink link = new RecordingLink(true);
    flow.attach(link, 1, Long.MAX_VALUE);
    flow.deliver(delivery("first", 1));
    flow.deliver(new Delivery(FlowMessage.builder("short").messageExpiry(5).timestamp(now).build(), 1, false, List.of()));
    flow.deliver(new Delivery(FlowMessage.builder("long").messageExpiry(60).timestamp(now).build(), 1, false, List.of()));
    now += 10_000;
    flow.onPuback(1);
    assertEquals(List.of("PUBLISH 1 first q1", "PUBLISH 2 long q1"), link.take());
    assertEquals(1, meters.droppedCount(DropReason.EXPIRED));
    assertEquals(50, link.publishes.get(1).properties.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL).value());
  }
}
