package io.flowsdk.grpc.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.grpc.StreamOverflowPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryQueueTest {

  private static PendingDelivery d(long id) {
    return new PendingDelivery(id, "t", FlowMessage.builder("t").build(), null);
  }

  private static DeliveryQueue full(StreamOverflowPolicy policy) {
    DeliveryQueue q = new DeliveryQueue(2, policy);
    assertNull(q.offer(d(1)));
    assertNull(q.offer(d(2)));
    return q;
  }

  @Test
  void givenFullQueueDropOldest_whenOffered_thenOldestDroppedAndNewestKept() {
    DeliveryQueue q = full(StreamOverflowPolicy.DROP_OLDEST);
    assertEquals(1, q.offer(d(3)).id);
    assertEquals(2, q.poll().id);
    assertEquals(3, q.poll().id);
    assertTrue(q.isEmpty());
  }

  @Test
  void givenFullQueueDropNewest_whenOffered_thenArrivingDropped() {
    DeliveryQueue q = full(StreamOverflowPolicy.DROP_NEWEST);
    PendingDelivery arriving = d(3);
    assertSame(arriving, q.offer(arriving));
    assertEquals(2, q.size());
    assertEquals(1, q.poll().id);
    assertFalse(q.overflowed());
  }

  @Test
  void givenFullQueueEndStream_whenOffered_thenRefusedAndOverflowed() {
    DeliveryQueue q = full(StreamOverflowPolicy.END_STREAM);
    assertFalse(q.overflowed());
    PendingDelivery arriving = d(3);
    assertSame(arriving, q.offer(arriving));
    assertTrue(q.overflowed());
  }

  @Test
  void givenFullQueue_whenRedeliveryRequeued_thenItGoesFirstBeyondCapacity() {
    DeliveryQueue q = full(StreamOverflowPolicy.DROP_NEWEST);
    q.requeue(d(0));
    assertEquals(3, q.size());
    assertEquals(0, q.poll().id);
  }
}
