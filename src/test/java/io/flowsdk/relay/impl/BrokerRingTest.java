package io.flowsdk.relay.impl;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerRingTest {

  private static final int CLIENTS = 20_000;

  private static Map<String, String> owners(BrokerRing<String> ring) {
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < CLIENTS; i++) {
      owners.put("client-" + i, ring.order("client-" + i).get(0));
    }
    return owners;
  }

  @Test
  void givenThreeBrokers_thenEachClientIdHasOneOrderOfAllThreeAndEachBrokerGetsAboutAThird() {
    BrokerRing<String> ring = new BrokerRing<>(List.of("a:1", "b:1", "c:1"), b -> b, 128);
    assertEquals(ring.order("sticky"), new BrokerRing<>(List.of("c:1", "a:1", "b:1"), b -> b, 128).order("sticky"),
      "the order depends on the brokers, not on how they are listed, so every proxy instance agrees");
    assertEquals(3, ring.order("sticky").stream().distinct().count());
    Map<String, Integer> perBroker = new HashMap<>();
    owners(ring).values().forEach(b -> perBroker.merge(b, 1, Integer::sum));
    perBroker.values().forEach(n -> assertTrue(Math.abs(n - CLIENTS / 3) < CLIENTS / 3 * 0.15,
      "each broker within 15 % of a third: " + perBroker));
  }

  @Test
  void givenThreeBrokers_whenAFourthIsAdded_thenOnlyAboutAQuarterOfTheClientIdsMoveAndAllToTheNewOne() {
    Map<String, String> before = owners(new BrokerRing<>(List.of("a:1", "b:1", "c:1"), b -> b, 128));
    Map<String, String> after = owners(new BrokerRing<>(List.of("a:1", "b:1", "c:1", "d:1"), b -> b, 128));
    int moved = 0;
    for (Map.Entry<String, String> e : before.entrySet()) {
      if (!after.get(e.getKey()).equals(e.getValue())) {
        moved++;
        assertEquals("d:1", after.get(e.getKey()), e.getKey() + " moved between two brokers that stayed");
      }
    }
    assertTrue(moved > CLIENTS * 0.18 && moved < CLIENTS * 0.32, moved + " of " + CLIENTS + " moved, not about a quarter");
  }

  @Test
  void givenThreeBrokers_whenOneIsRemoved_thenOnlyItsClientIdsMoveAndEachToTheNextInItsOrder() {
    BrokerRing<String> three = new BrokerRing<>(List.of("a:1", "b:1", "c:1"), b -> b, 128);
    Map<String, String> after = owners(new BrokerRing<>(List.of("a:1", "c:1"), b -> b, 128));
    for (Map.Entry<String, String> e : owners(three).entrySet()) {
      List<String> order = three.order(e.getKey());
      String expected = e.getValue().equals("b:1") ? order.get(1) : e.getValue();
      assertEquals(expected, after.get(e.getKey()), "failover goes to the next on the ring, the rest stay");
    }
  }
}
