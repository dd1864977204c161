package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which node publishes the cluster's $SYS totals, and that they add up the members' figures only. */
class SysTotalsTest {

  private static final SysFigures OWN = figures(1, 100);

  /** Figures whose seven counters are all {@code each}, with {@code uptime} seconds. */
  private static SysFigures figures(long each, long uptime) {
    return SysFigures.of(List.of(each, each, each, each, each, each, each), uptime);
  }

  /** The retained tree of {@code node} holding {@code figures}, as SysTopics publishes it. */
  private static List<FlowMessage> retainedTree(String node, SysFigures figures) {
    List<FlowMessage> tree = new ArrayList<>();
    figures.payloads().forEach((name, payload) -> tree.add(FlowMessage.builder(SysTotals.NODES + node + "/" + name)
      .payload(payload).retain(true).build()));
    tree.add(FlowMessage.builder(SysTotals.NODES + node + "/version").payload("flowsdk-vertx 1").retain(true).build());
    return tree;
  }

  @SafeVarargs
  private static List<FlowMessage> trees(List<FlowMessage>... trees) {
    List<FlowMessage> all = new ArrayList<>();
    for (List<FlowMessage> t : trees) {
      all.addAll(t);
    }
    return all;
  }

  @Test
  void givenAStandaloneNode_thenItPublishesItsOwnFiguresAsTheTotals() {
    Optional<SysFigures> totals = SysTotals.of("a", OWN, List.of("a"), retainedTree("a", figures(0, 0)));
    assertEquals(Optional.of(OWN.payloads()), totals.map(SysFigures::payloads)); // its live figures, not its last round's
  }

  @Test
  void givenTheOldestBrokerNode_thenItSumsTheMembersAndTakesTheLongestUptimeButLeavesOutANodeThatLeft() {
    List<FlowMessage> retained = trees(retainedTree("b", figures(10, 500)), retainedTree("gone", figures(1000, 9000)));
    SysFigures totals = SysTotals.of("a", OWN, List.of("a", "b"), retained).orElseThrow();
    for (String name : SysFigures.SUMMED) {
      assertEquals(11, totals.get(name), name);
    }
    assertEquals("500 seconds", totals.payloads().get(SysFigures.UPTIME));
  }

  @Test
  void givenAnOlderBrokerNode_thenThisNodeDoesNotPublishTotals() {
    Optional<SysFigures> totals = SysTotals.of("b", OWN, List.of("a", "b"), retainedTree("a", figures(10, 500)));
    assertEquals(Optional.empty(), totals);
  }

  @Test
  void givenOlderMembersWithoutABrokerOrThatLeft_thenTheOldestBrokerNodePublishes() {
    // "a" runs no broker (no figures); "gone" left, its figures not yet expired
    List<FlowMessage> retained = trees(retainedTree("gone", figures(1000, 9000)), retainedTree("c", figures(10, 5)));
    SysFigures totals = SysTotals.of("b", OWN, List.of("a", "b", "c"), retained).orElseThrow();
    assertEquals(11, totals.get("clients/connected"));
    assertEquals(100, totals.get(SysFigures.UPTIME));
  }
}
