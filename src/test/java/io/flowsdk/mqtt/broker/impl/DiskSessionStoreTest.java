package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys, order and expiry of {@link DiskSessionStore}, on a real store file reopened as after a restart. */
class DiskSessionStoreTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(1_000_000);

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private SessionStore open() throws Exception {
    return join(DiskSessionStore.open(vertx, dir.resolve("sessions.mv").toString(), now::get));
  }

  private static Delivery delivery(String payload) {
    return new Delivery(FlowMessage.builder("t/" + payload).payload(payload).qos(QoS.AT_LEAST_ONCE).build(), 1, false, List.of());
  }

  private static List<String> payloads(SessionStore.Journaled journaled) {
    List<String> found = new ArrayList<>();
    journaled.deliveries.forEach(s -> found.add(s.delivery.message.payload().toString()));
    return found;
  }

  private static SessionRecord record(String epoch, long expirySeconds) {
    return new SessionRecord("node-1", epoch, 0, expirySeconds, List.of(new SessionSubscription("t/#", 1, false, false, 0, List.of())));
  }

  @Test
  void givenJournalsOfSeveralGenerationsAndAClientIdSharingAPrefix_whenRead_thenInGenerationThenSequenceOrderAndOnlyTheClients()
    throws Exception {
    SessionStore store = open();
    SessionJournal later = store.journal("a", 12);
    SessionJournal earlier = store.journal("a", 5);
    SessionJournal other = store.journal("ab", 1);
    join(later.added(delivery("g12-1")));
    for (int i = 1; i <= 11; i++) { // past 9: the sequence orders by number, not by text
      join(earlier.added(delivery("g5-" + i)));
    }
    join(other.added(delivery("ab-1")));
    join(later.awaitingRelease(7));
    Delivery removed = delivery("gone");
    join(earlier.added(removed));
    earlier.removed(removed);
    join(earlier.flushed());

    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 11; i++) {
      expected.add("g5-" + i);
    }
    expected.add("g12-1");
    SessionStore.Journaled journaled = join(store.journaled("a"));
    assertEquals(expected, payloads(journaled));
    assertEquals(Set.of(7), journaled.awaitingRelease.keySet());
    assertTrue(journaled.awaitingRelease.get(7).startsWith(DiskSessionStore.deliveryKey("a", 12, 2, "")),
      "the second entry of the journal of generation 12: " + journaled.awaitingRelease.get(7));
    assertEquals(List.of("ab-1"), payloads(join(store.journaled("ab"))));

    join(store.clearBefore("a", 12));
    assertEquals(List.of("g12-1"), payloads(join(store.journaled("a"))));
    join(store.close());
  }

  @Test
  void givenPersistentSessionsWhoseClientsLeft_whenReopenedAfterADowntime_thenAnExpiredOneIsGoneWithItsDeliveriesAndTheOthersKeepWhatIsLeft()
    throws Exception {
    SessionStore store = open();
    long shortGeneration = join(store.claim("short", record("e1", 10), false)).generation;
    long longGeneration = join(store.claim("long", record("e2", 100), false)).generation;
    join(store.claim("connected", record("e3", 50), false));
    join(store.claim("clean", record("e4", 0), false));
    join(store.journal("short", shortGeneration).added(delivery("short-1")));
    join(store.journal("long", longGeneration).added(delivery("long-1")));
    assertTrue(join(store.update("short", record("e1", 10).withSubscriptions(List.of()), true)));
    assertTrue(join(store.update("long", record("e2", 100), true)));
    join(store.close()); // stopped; "connected" was still connected

    now.addAndGet(30_500); // the downtime: past the 10 s of "short"
    SessionStore reopened = open();
    assertEquals(Map.of("long", "node-1", "connected", "node-1"), reopened.leftByEarlierRun());
    assertNull(join(reopened.get("short")));
    assertNull(join(reopened.get("clean")), "a session of expiry 0 is not kept on disk");
    assertEquals(List.of(), payloads(join(reopened.journaled("short"))));
    SessionRecord longRecord = join(reopened.get("long"));
    assertEquals(70, longRecord.expirySeconds, "100 s minus the 30.5 s since its client left, rounded up");
    assertEquals(List.of("t/#"), longRecord.subscriptions.stream().map(s -> s.filter).toList());
    assertEquals(List.of("long-1"), payloads(join(reopened.journaled("long"))));
    assertEquals(50, join(reopened.get("connected")).expirySeconds, "a client connected at the stop left then: its whole expiry");

    SessionStore.Claim adopted = join(reopened.adopt("long", "node-1", new SessionRecord("node-2", "e5", 0, 0, List.of())));
    assertEquals("e2", adopted.previous.epoch);
    assertTrue(adopted.generation > longGeneration);
    SessionRecord adoptedRecord = join(reopened.get("long"));
    assertEquals("node-2", adoptedRecord.node);
    assertEquals(70, adoptedRecord.expirySeconds);
    assertNull(join(reopened.adopt("long", "node-1", new SessionRecord("node-3", "e6", 0, 0, List.of()))),
      "adopted once: the record no longer names the node that left");
    join(reopened.close());
  }
}
