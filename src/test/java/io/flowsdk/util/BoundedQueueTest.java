package io.flowsdk.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BoundedQueueTest {

  /** Items are "name:priority". */
  private static BoundedQueue<String> full(BoundedQueue.Victim victim, String... items) {
    BoundedQueue<String> q = new BoundedQueue<>(items.length, victim, s -> Integer.parseInt(s.substring(s.indexOf(':') + 1)));
    for (String item : items) {
      assertNull(q.offer(item));
    }
    return q;
  }

  private static List<String> contents(BoundedQueue<String> q) {
    List<String> all = new ArrayList<>();
    q.forEach(all::add);
    return all;
  }

  @Test
  void givenFullQueue_whenOldestIsTheVictim_thenTheHeadMakesRoom() {
    BoundedQueue<String> q = full(BoundedQueue.Victim.OLDEST, "a:1", "b:1");
    assertEquals("a:1", q.offer("c:1"));
    assertEquals(List.of("b:1", "c:1"), contents(q));
  }

  @Test
  void givenFullQueue_whenArrivingIsTheVictim_thenItIsRefused() {
    BoundedQueue<String> q = full(BoundedQueue.Victim.ARRIVING, "a:1", "b:1");
    assertEquals("c:1", q.offer("c:1"));
    assertEquals(List.of("a:1", "b:1"), contents(q));
  }

  @Test
  void givenFullQueue_whenLowestPriorityIsTheVictim_thenTheOldestOfTheLowestGoesAndTheArrivingOnlyLosesToHigherOnes() {
    BoundedQueue<String> q = full(BoundedQueue.Victim.LOWEST_PRIORITY, "a:5", "b:2", "c:2");
    assertEquals("b:2", q.offer("d:2"), "equal priority: the oldest queued one goes");
    assertEquals(List.of("a:5", "c:2", "d:2"), contents(q));
    assertEquals("e:1", q.offer("e:1"), "the arriving one is the lowest");
    assertEquals("c:2", q.offer("f:9"));
    assertEquals(List.of("a:5", "d:2", "f:9"), contents(q));
  }

  @Test
  void givenFullQueue_whenAnItemIsPutBackInFront_thenItMayExceedTheCapacity() {
    BoundedQueue<String> q = full(BoundedQueue.Victim.OLDEST, "a:1");
    q.addFirst("again:1");
    assertEquals(2, q.size());
    assertEquals("again:1", q.poll());
  }
}
