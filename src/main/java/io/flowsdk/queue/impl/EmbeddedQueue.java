package io.flowsdk.queue.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreBatch;
import io.flowsdk.storage.StoreEntry;
import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A queue in the store maps {@code queue.<name>} (the items) and {@code queue.<name>.dlq} (the dead
 * letters). The index — which items are ready, in priority then enqueue order, and which wait for a
 * time (delayed, or in flight until their visibility timeout) — lives in memory on the queue's
 * context and is rebuilt from the store when the queue opens. Every change of an item is stored
 * before it is answered, including each delivery (its attempt and visibility), so after a crash an
 * item in flight is delivered again when its timeout runs out and its attempts are kept.
 */
public final class EmbeddedQueue implements FlowQueue {

  private static final int LOAD_PAGE = 1000;

  private final Vertx vertx;
  private final String name;
  private final FlowStore store;
  private final QueueOptions options;
  private final String map;
  private final String deadLetters;
  private final Context context;
  private final Map<String, Slot> slots = new HashMap<>();
  private final TreeSet<Slot> ready = new TreeSet<>(Comparator.<Slot>comparingInt(s -> -s.priority).thenComparingLong(s -> s.seq));
  private final TreeSet<Slot> waiting = new TreeSet<>(Comparator.<Slot>comparingLong(s -> s.visibleAt).thenComparingLong(s -> s.seq));
  private long nextSeq;
  private int reserved;

  private EmbeddedQueue(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    this.vertx = vertx;
    this.name = name;
    this.store = store;
    this.options = new QueueOptions(options);
    this.map = "queue." + name;
    this.deadLetters = map + ".dlq";
    this.context = vertx.getOrCreateContext();
  }

  public static Future<FlowQueue> open(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    if (name == null || name.isEmpty()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "a queue name must not be empty"));
    }
    EmbeddedQueue queue = new EmbeddedQueue(vertx, name, store, options);
    return Contexts.call(queue.context, () -> queue.load(null)).map(queue);
  }

  /** One item's place in the index; the payload stays in the store. */
  private static final class Slot {
    final String id;
    final long seq;
    final int priority;
    int attempts;
    long visibleAt;

    Slot(String id, long seq, int priority, int attempts, long visibleAt) {
      this.id = id;
      this.seq = seq;
      this.priority = priority;
      this.attempts = attempts;
      this.visibleAt = visibleAt;
    }
  }

  private Future<Void> load(String afterKey) {
    return store.scan(map, "", afterKey, LOAD_PAGE).compose(page -> {
      for (StoreEntry e : page) {
        ItemRecord r = ItemRecord.decode(e.value());
        Slot slot = new Slot(e.key(), r.seq, r.priority, r.attempts, r.visibleAt);
        slots.put(slot.id, slot);
        waiting.add(slot);
        nextSeq = Math.max(nextSeq, r.seq + 1);
      }
      return page.size() == LOAD_PAGE ? load(page.get(page.size() - 1).key()) : Future.succeededFuture();
    });
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<String> enqueue(Buffer payload, int priority, Duration delay) {
    if (priority < 0 || priority > 255 || delay == null || delay.isNegative()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + ": priority must be 0..255 and delay not negative, not "
        + priority + " and " + delay));
    }
    return onContext(() -> {
      if (slots.size() + reserved >= options.getCapacity()) {
        return Future.failedFuture(new FlowException(FlowError.OVERLOADED, "queue " + name + " is full (capacity "
          + options.getCapacity() + " items)"));
      }
      long seq = nextSeq++;
      String id = String.format("%016d", seq);
      long visibleAt = System.currentTimeMillis() + delay.toMillis();
      reserved++;
      return store.put(map, id, new ItemRecord(seq, priority, 0, visibleAt, payload).encode())
        .andThen(ar -> reserved--)
        .map(v -> {
          Slot slot = new Slot(id, seq, priority, 0, visibleAt);
          slots.put(id, slot);
          (delay.isZero() ? ready : waiting).add(slot);
          return id;
        });
    });
  }

  @Override
  public Future<Optional<QueueItem>> receive() {
    return onContext(this::next);
  }

  /** Takes the best ready item: to a consumer, or, past its attempts, to the dead letters (then the next). */
  private Future<Optional<QueueItem>> next() {
    long now = System.currentTimeMillis();
    while (!waiting.isEmpty() && waiting.first().visibleAt <= now) {
      ready.add(waiting.pollFirst());
    }
    Slot slot = ready.pollFirst();
    if (slot == null) {
      return Future.succeededFuture(Optional.empty());
    }
    if (slot.attempts >= options.getMaxAttempts()) {
      slots.remove(slot.id);
      return store.get(map, slot.id).compose(found -> found.isEmpty() ? Future.succeededFuture()
          : store.write(new StoreBatch().delete(map, slot.id).put(deadLetters, slot.id, found.get())))
        .compose(v -> next());
    }
    slot.attempts++;
    slot.visibleAt = now + options.getVisibilityTimeoutMillis();
    waiting.add(slot);
    int attempt = slot.attempts;
    long invisibleUntil = slot.visibleAt;
    return store.get(map, slot.id).compose(found -> {
      ItemRecord r = ItemRecord.decode(found.orElseThrow());
      ItemRecord delivered = new ItemRecord(r.seq, r.priority, attempt, invisibleUntil, r.payload);
      return store.put(map, slot.id, delivered.encode())
        .map(v -> Optional.of(new QueueItem(slot.id, r.payload, r.priority, attempt, invisibleUntil)));
    });
  }

  @Override
  public Future<Void> ack(String receipt) {
    return onContext(() -> {
      Slot slot = current(receipt);
      waiting.remove(slot);
      slots.remove(slot.id);
      return store.delete(map, slot.id).mapEmpty();
    });
  }

  @Override
  public Future<Void> nack(String receipt, Duration delay) {
    return reschedule(receipt, delay);
  }

  @Override
  public Future<Void> extend(String receipt, Duration more) {
    return reschedule(receipt, more);
  }

  /** Makes the current delivery's item visible again {@code after} from now. */
  private Future<Void> reschedule(String receipt, Duration after) {
    if (after == null || after.isNegative()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + ": a delay must not be negative, not " + after));
    }
    return onContext(() -> {
      Slot slot = current(receipt);
      waiting.remove(slot);
      slot.visibleAt = System.currentTimeMillis() + after.toMillis();
      waiting.add(slot);
      long visibleAt = slot.visibleAt;
      return store.get(map, slot.id).compose(found -> {
        ItemRecord r = ItemRecord.decode(found.orElseThrow());
        return store.put(map, slot.id, new ItemRecord(r.seq, r.priority, r.attempts, visibleAt, r.payload).encode());
      });
    });
  }

  /** The in-flight item whose current delivery {@code receipt} names, else {@code NO_ROUTE}. */
  private Slot current(String receipt) {
    int hash = receipt == null ? -1 : receipt.lastIndexOf('#');
    Slot slot = hash < 0 ? null : slots.get(receipt.substring(0, hash));
    if (slot == null || !receipt.substring(hash + 1).equals(Integer.toString(slot.attempts)) || !waiting.contains(slot)
      || slot.visibleAt <= System.currentTimeMillis()) {
      throw new FlowException(FlowError.NO_ROUTE, "queue " + name + ": '" + receipt + "' is not an item in flight"
        + " (acknowledged, or its visibility timeout ran out)");
    }
    return slot;
  }

  @Override
  public Future<Integer> size() {
    return onContext(() -> Future.succeededFuture(slots.size()));
  }

  private <T> Future<T> onContext(Supplier<Future<T>> op) {
    return Contexts.call(context, op);
  }

  /** The stored form of an item: seq (8), priority (1), attempts (4), visibleAt (8), payload. */
  private static final class ItemRecord {
    final long seq;
    final int priority;
    final int attempts;
    final long visibleAt;
    final Buffer payload;

    ItemRecord(long seq, int priority, int attempts, long visibleAt, Buffer payload) {
      this.seq = seq;
      this.priority = priority;
      this.attempts = attempts;
      this.visibleAt = visibleAt;
      this.payload = payload;
    }

    Buffer encode() {
      return Buffer.buffer(21 + payload.length()).appendLong(seq).appendUnsignedByte((short) priority).appendInt(attempts)
        .appendLong(visibleAt).appendBuffer(payload);
    }

    static ItemRecord decode(Buffer b) {
      return new ItemRecord(b.getLong(0), b.getUnsignedByte(8), b.getInt(9), b.getLong(13), b.getBuffer(21, b.length()));
    }
  }
}
