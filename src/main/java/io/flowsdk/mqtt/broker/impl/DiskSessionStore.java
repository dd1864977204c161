package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreBatch;
import io.flowsdk.storage.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sessions of a standalone node kept in an embedded {@link FlowStore} file, so that they survive
 * a restart or a {@code kill -9}: the records live in memory ({@link LocalSessionStore}) and are
 * written through to the map {@code mqtt.sessions} (persistent sessions only, with the time their
 * client left), and each persistent session journals its QoS 1/2 deliveries ({@link KeyedJournal})
 * in {@code mqtt.session-deliveries}, keyed {@code clientId NUL generation NUL sequence NUL journal}
 * with the numbers zero-padded, so that key order is journal order. Every change completes once it is
 * on disk. Opening reads the file back: a session whose expiry ran out since its client left
 * (wall-clock time, the downtime included) is deleted with its deliveries, the others keep what is
 * left of their expiry and are {@link #leftByEarlierRun} for the broker to adopt.
 */
final class DiskSessionStore implements SessionStore {

  static final String RECORDS = "mqtt.sessions";
  static final String DELIVERIES = "mqtt.session-deliveries";
  private static final char SEP = '\u0000';
  private static final int PAGE = 1000;

  private final FlowStore file;
  private final LongSupplier clock;
  private final LocalSessionStore records = new LocalSessionStore();
  private final Map<String, String> leftByEarlierRun = new HashMap<>();

  private DiskSessionStore(FlowStore file, LongSupplier clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Opens (creating when missing) the store file at {@code path} and reads its sessions back; fails with {@code INTERNAL} when it cannot. */
  static Future<SessionStore> open(Vertx vertx, String path, LongSupplier clock) {
    return FlowStore.open(vertx, new StoreOptions().setPath(path)).compose(file -> {
      DiskSessionStore store = new DiskSessionStore(file, clock);
      return store.load().<SessionStore>map(store)
        .recover(failure -> file.close().transform(closed -> Future.failedFuture(failure)));
    });
  }

  /** The key of entry {@code seq} of the journal {@code journalId} of generation {@code generation} of {@code clientId}. */
  static String deliveryKey(String clientId, long generation, long seq, String journalId) {
    return clientId + SEP + String.format("%019d", generation) + SEP + String.format("%019d", seq) + SEP + journalId;
  }

  private static String clientOf(String deliveryKey) {
    return deliveryKey.substring(0, deliveryKey.indexOf(SEP));
  }

  private static long generationOf(String deliveryKey) {
    int start = deliveryKey.indexOf(SEP) + 1;
    return Long.parseLong(deliveryKey.substring(start, deliveryKey.indexOf(SEP, start)));
  }

  private Future<Void> load() {
    long now = clock.getAsLong();
    StoreBatch expired = new StoreBatch();
    return file.forEach(RECORDS, "", PAGE, e -> {
      JsonObject stored = new JsonObject(e.value());
      SessionRecord record = SessionRecord.decode(stored.getString("record"));
      Long leftAt = stored.getLong("leftAt");
      // a client connected when the node stopped left then; a crash leaves no time: its expiry runs from now
      long remainingMillis = record.expirySeconds * 1000 - (leftAt == null ? 0 : Math.max(0, now - leftAt));
      if (remainingMillis <= 0) {
        expired.delete(RECORDS, e.key());
      } else {
        records.restore(e.key(), record.withExpiry((remainingMillis + 999) / 1000));
        leftByEarlierRun.put(e.key(), record.node);
      }
    }).compose(v -> file.forEach(DELIVERIES, "", PAGE, e -> {
      if (!leftByEarlierRun.containsKey(clientOf(e.key()))) {
        expired.delete(DELIVERIES, e.key()); // of an expired session, or of one that ended with its connection
      }
    })).compose(v -> expired.ops().isEmpty() ? Future.succeededFuture() : file.write(expired));
  }

  @Override
  public Future<Claim> claim(String clientId, SessionRecord wanted, boolean keepSubscriptions) {
    return records.claim(clientId, wanted, keepSubscriptions).compose(claim -> {
      boolean onDisk = claim.previous != null && claim.previous.expirySeconds > 0;
      return onDisk || wanted.expirySeconds > 0 ? write(clientId, null).map(claim) : Future.succeededFuture(claim);
    });
  }

  @Override
  public Future<Claim> adopt(String clientId, String node, SessionRecord wanted) {
    return records.adopt(clientId, node, wanted)
      .compose(claim -> claim == null ? Future.succeededFuture() : write(clientId, null).map(claim));
  }

  @Override
  public Future<Map<String, String>> orphans(Set<String> liveNodes) {
    return Future.succeededFuture(Map.of());
  }

  /** As read when the store opened. */
  @Override
  public Map<String, String> leftByEarlierRun() {
    return Map.copyOf(leftByEarlierRun);
  }

  @Override
  public void onNodeLeft(Consumer<Set<String>> handler) {
  }

  @Override
  public Future<SessionRecord> get(String clientId) {
    return records.get(clientId);
  }

  @Override
  public Future<Boolean> update(String clientId, SessionRecord record, boolean detached) {
    return records.update(clientId, record, detached)
      .compose(applied -> applied ? write(clientId, detached ? clock.getAsLong() : null).map(true) : Future.succeededFuture(false));
  }

  @Override
  public Future<Boolean> remove(String clientId, String epoch) {
    return records.get(clientId).compose(current -> records.remove(clientId, epoch).compose(removed ->
      removed && current.expirySeconds > 0 ? file.delete(RECORDS, clientId).map(true) : Future.succeededFuture(removed)));
  }

  @Override
  public Future<Journaled> journaled(String clientId) {
    List<Map.Entry<String, String>> found = new ArrayList<>();
    return file.forEach(DELIVERIES, clientId + SEP, PAGE, e -> found.add(new AbstractMap.SimpleEntry<>(e.key(), e.value().toString())))
      .map(v -> JournalEntries.read(found));
  }

  @Override
  public Future<Void> clearBefore(String clientId, long generation) {
    StoreBatch older = new StoreBatch();
    return file.forEach(DELIVERIES, clientId + SEP, PAGE, e -> {
      if (generationOf(e.key()) < generation) {
        older.delete(DELIVERIES, e.key());
      }
    }).compose(v -> older.ops().isEmpty() ? Future.succeededFuture() : file.write(older));
  }

  @Override
  public SessionJournal journal(String clientId, long generation) {
    String journalId = UUID.randomUUID().toString();
    return new KeyedJournal(seq -> deliveryKey(clientId, generation, seq, journalId), new KeyedJournal.Entries() {
      @Override
      public Future<Void> put(String key, String value) {
        return file.put(DELIVERIES, key, Buffer.buffer(value));
      }

      @Override
      public Future<Void> remove(String key) {
        return file.delete(DELIVERIES, key).mapEmpty();
      }
    });
  }

  @Override
  public Future<Void> close() {
    return file.close();
  }

  /** Writes the record of {@code clientId} as it is now ({@code leftAt}: when its client left, null while connected); deletes it when not persistent. */
  private Future<Void> write(String clientId, Long leftAt) {
    return records.get(clientId).compose(record -> {
      if (record == null || record.expirySeconds == 0) {
        return file.delete(RECORDS, clientId).mapEmpty();
      }
      JsonObject stored = new JsonObject().put("record", record.encode());
      if (leftAt != null) {
        stored.put("leftAt", leftAt);
      }
      return file.put(RECORDS, clientId, stored.toBuffer());
    });
  }
}
