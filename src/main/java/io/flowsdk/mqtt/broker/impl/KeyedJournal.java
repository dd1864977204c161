package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The journal of one persistent session in a key/value map (Hazelcast's or the embedded store's):
 * each QoS 1/2 delivery is an entry (written again when it is sent or released, deleted when done).
 * It knows the keys it holds, those read back on a resume included, so that ending the session
 * deletes exactly them. Lives on the broker's event loop.
 */
final class KeyedJournal implements SessionJournal {

  /** The map it writes to; futures complete on the broker's context once the write is stored (with its backup, or on disk). */
  interface Entries {
    Future<Void> put(String key, String value);

    Future<Void> remove(String key);
  }

  private static final Logger log = LoggerFactory.getLogger(KeyedJournal.class);

  private final LongFunction<String> keyOf;
  private final Entries entries;
  private final Set<String> keys = new HashSet<>();
  private final Map<Integer, String> inboundKeys = new HashMap<>();
  private final Set<Future<?>> writing = new HashSet<>();
  private long seq;

  /** {@code keyOf} gives the key of the entry numbered {@code n} (1, 2, ...), in journal order. */
  KeyedJournal(LongFunction<String> keyOf, Entries entries) {
    this.keyOf = keyOf;
    this.entries = entries;
  }

  @Override
  public Future<Void> added(Delivery delivery) {
    delivery.journalKey = keyOf.apply(++seq);
    keys.add(delivery.journalKey);
    return track(entries.put(delivery.journalKey, JournalEntries.delivery(delivery, 0, false)));
  }

  @Override
  public void adopt(Delivery delivery) {
    keys.add(delivery.journalKey);
  }

  @Override
  public void sent(Delivery delivery, int packetId, boolean released) {
    if (keys.contains(delivery.journalKey)) {
      logged(track(entries.put(delivery.journalKey, JournalEntries.delivery(delivery, packetId, released))));
    }
  }

  @Override
  public void removed(Delivery delivery) {
    if (delivery.journalKey != null && keys.remove(delivery.journalKey)) {
      logged(track(entries.remove(delivery.journalKey)));
    }
  }

  @Override
  public Future<Void> awaitingRelease(int packetId) {
    String key = keyOf.apply(++seq);
    releasedByClient(packetId); // a packet id the client reused without PUBREL: the entry is replaced
    inboundKeys.put(packetId, key);
    keys.add(key);
    return track(entries.put(key, JournalEntries.awaitingRelease(packetId)));
  }

  @Override
  public void adoptAwaitingRelease(int packetId, String key) {
    inboundKeys.put(packetId, key);
    keys.add(key);
  }

  @Override
  public void releasedByClient(int packetId) {
    String key = inboundKeys.remove(packetId);
    if (key != null && keys.remove(key)) {
      logged(track(entries.remove(key)));
    }
  }

  @Override
  public Future<Void> flushed() {
    return Future.join(new ArrayList<>(writing)).mapEmpty();
  }

  @Override
  public Future<Void> forget() {
    List<Future<?>> removing = new ArrayList<>();
    for (String key : keys) {
      removing.add(track(entries.remove(key)));
    }
    keys.clear();
    inboundKeys.clear();
    return Future.join(removing).mapEmpty();
  }

  private Future<Void> track(Future<Void> write) {
    writing.add(write);
    write.onComplete(done -> writing.remove(write));
    return write;
  }

  private static void logged(Future<Void> write) {
    write.onFailure(e -> log.warn("session journal write failed: " + e.getMessage()));
  }
}
