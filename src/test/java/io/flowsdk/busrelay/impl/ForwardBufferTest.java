package io.flowsdk.busrelay.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.OverflowPolicy;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardBufferTest {

  private static Outgoing item(String payload, int priority) {
    return new Outgoing(FlowMessage.builder("t").payload(payload).priority(priority).build(), Promise.promise());
  }

  private static List<String> payloads(List<Outgoing> items) {
    return items.stream().map(o -> o.message().payload().toString()).toList();
  }

  @Test
  void givenTheByteLimit_whenDropOldest_thenTheOldestGoUntilTheArrivingFits() {
    ForwardBuffer buffer = new ForwardBuffer(100, 10, OverflowPolicy.DROP_OLDEST);
    buffer.offer(item("aaaa", 128));
    buffer.offer(item("bbbb", 128));

    List<Outgoing> dropped = buffer.offer(item("cccccc", 128));

    assertEquals(List.of("aaaa"), payloads(dropped));
    assertEquals(10, buffer.bytes());
    assertEquals(List.of("bbbb", "cccccc"), payloads(buffer.drain()));
  }

  @Test
  void givenTheByteLimit_whenDropNewest_thenTheArrivingGoesAndTheBufferIsUnchanged() {
    ForwardBuffer buffer = new ForwardBuffer(100, 8, OverflowPolicy.DROP_NEWEST);
    buffer.offer(item("aaaa", 128));
    buffer.offer(item("bbbb", 128));

    assertEquals(List.of("c"), payloads(buffer.offer(item("c", 128))));
    assertEquals(8, buffer.bytes());
  }

  @Test
  void givenTheByteLimit_whenDropLowestPriority_thenTheLowestGoesAndAnArrivingLowerOneIsRefused() {
    ForwardBuffer buffer = new ForwardBuffer(100, 8, OverflowPolicy.DROP_LOWEST_PRIORITY);
    buffer.offer(item("high", 200));
    buffer.offer(item("low!", 10));

    assertEquals(List.of("low!"), payloads(buffer.offer(item("mid!", 100))));
    assertEquals(List.of("tiny"), payloads(buffer.offer(item("tiny", 1))));
    assertEquals(List.of("high", "mid!"), payloads(buffer.drain()));
  }

  @Test
  void givenTheCountLimit_whenFull_thenThePolicyOfTheBoundedQueueApplies() {
    ForwardBuffer buffer = new ForwardBuffer(2, 1000, OverflowPolicy.DROP_OLDEST);
    buffer.offer(item("a", 128));
    buffer.offer(item("b", 128));

    assertEquals(List.of("a"), payloads(buffer.offer(item("c", 128))));
    assertEquals(2, buffer.bytes());
  }

  @Test
  void givenMessagesTakenBack_whenAddedFirst_thenTheyLeaveBeforeTheOthersInTheirOrder() {
    ForwardBuffer buffer = new ForwardBuffer(2, 1000, OverflowPolicy.DROP_OLDEST);
    buffer.offer(item("c", 128));
    buffer.addFirst(item("b", 128));
    buffer.addFirst(item("a", 128));

    assertEquals(List.of("a", "b", "c"), payloads(buffer.drain()));
    assertEquals(0, buffer.bytes());
  }
}
