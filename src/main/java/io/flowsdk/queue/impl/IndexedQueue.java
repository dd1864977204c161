package io.flowsdk.queue.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.queue.StoredItem;
import io.flowsdk.util.Contexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The queue semantics both backends share: an in-memory {@link QueueIndex} on the queue's context
 * says which item to try next, and every change is a {@link QueueOp} the backend applies to the
 * stored record, which decides. A backend only stores records, applies ops and buries dead letters.
 *
 * <p>A queue's dead letters are a queue of the same backend ({@link #deadLetters}) that takes no enqueues,
 * never moves an item on (no attempt limit) and keeps its items' delivery history as it came. It holds as many
 * items as the queue: at capacity a new dead letter drops the oldest ready one, or is dropped itself when none is.
 */
abstract class IndexedQueue implements FlowQueue {

  private static final Logger log = LoggerFactory.getLogger(IndexedQueue.class);

  /** Items tried per receive when the index was out of date (another node took them). */
  private static final int MAX_TRIES = 32;

  final String name;
  final QueueOptions options;
  final Context context;
  final QueueIndex index = new QueueIndex(this::preferred);
  final ConsumerCount consumers;
  /** Where this queue's dead letters go; null in a dead-letter queue. */
  final IndexedQueue deadLetters;
  private final Counter refused;
  private final Counter droppedOldest;
  private final Counter droppedLowest;
  private final Counter droppedDead;
  private final Counter expired;
  private final Counter dead;
  private final Counter redelivered;
  private final Counter enqueued;
  private final Counter acked;
  private final Counter nacked;
  private final Counter redriven;

  /** {@code deadLetters}: the queue of this one's dead letters, or null when this is one. */
  IndexedQueue(Vertx vertx, String name, QueueOptions options, IndexedQueue deadLetters) {
    this.name = name;
    this.deadLetters = deadLetters;
    this.options = new QueueOptions(options);
    this.context = vertx.getOrCreateContext();
    this.consumers = ConsumerCount.of(vertx, name);
    MeterRegistry registry = FlowMetrics.registry(vertx);
    this.refused = registry.counter("flowsdk.queue.refused", "queue", name);
    this.droppedOldest = registry.counter("flowsdk.queue.dropped", "queue", name, "reason", "oldest");
    this.droppedLowest = registry.counter("flowsdk.queue.dropped", "queue", name, "reason", "lowest_priority");
    this.droppedDead = registry.counter("flowsdk.queue.dropped", "queue", name, "reason", "dead_letters_full");
    this.expired = registry.counter("flowsdk.queue.expired", "queue", name);
    this.dead = registry.counter("flowsdk.queue.dead", "queue", name);
    this.redelivered = registry.counter("flowsdk.queue.redelivered", "queue", name);
    this.enqueued = registry.counter("flowsdk.queue.enqueued", "queue", name);
    this.acked = registry.counter("flowsdk.queue.acked", "queue", name);
    this.nacked = registry.counter("flowsdk.queue.nacked", "queue", name);
    this.redriven = registry.counter("flowsdk.queue.redriven", "queue", name);
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "a queue name must not be empty");
    }
  }

  /** The id of a new item with sequence number {@code seq}. */
  abstract String newId(long seq);

  /** Whether the item goes before the others of its priority, here. */
  abstract boolean preferred(String id);

  /** The next sequence number: FIFO order within a priority. */
  abstract long nextSeq();

  abstract Future<Void> store(String id, ItemRecord record);

  abstract Future<QueueOp.Result> apply(String id, QueueOp op);

  /** The stored record of {@code id}, or empty. */
  abstract Future<Optional<ItemRecord>> read(String id);

  /** Moves the dead item {@code id} to {@link #deadLetters}, as {@code deadLetter}, its record there. */
  abstract Future<Void> bury(String id, ItemRecord deadLetter);

  /** A receive found nothing ready in the index, on the queue's context. */
  void nothingReady() {
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public FlowQueue deadLetters() {
    return deadLetters != null ? deadLetters : this;
  }

  @Override
  public Future<Integer> redrive(int max) {
    if (deadLetters == null) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name
        + " holds dead letters: redrive them from the queue they came from"));
    }
    if (max < 1 || max > MAX_REDRIVE) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + ": redrive moves 1.." + MAX_REDRIVE
        + " dead letters, not " + max));
    }
    return redriveFrom(0, max);
  }

  /** Moves the next dead letter after {@code moved} of them, until {@code max}, none ready or this queue full. */
  private Future<Integer> redriveFrom(int moved, int max) {
    if (moved == max) {
      return Future.succeededFuture(moved);
    }
    return deadLetters.receive().compose(next -> {
      if (next.isEmpty()) {
        return Future.succeededFuture(moved);
      }
      QueueItem letter = next.get();
      Duration ttl = letter.expiresAt() == 0 ? Duration.ZERO
        : Duration.ofMillis(Math.max(1, letter.expiresAt() - System.currentTimeMillis()));
      // never at the cost of the queue's own items, whatever its overflow policy
      return enqueue(letter.payload(), letter.priority(), Duration.ZERO, ttl, OverflowPolicy.DROP_NEWEST).transform(enqueued -> {
        if (enqueued.succeeded()) {
          redriven.increment();
          return deadLetters.ack(letter.receipt()).compose(v -> redriveFrom(moved + 1, max));
        }
        FlowException failure = FlowException.from(enqueued.cause());
        return deadLetters.nack(letter.receipt(), Duration.ZERO).transform(v -> failure.error() == FlowError.OVERLOADED
          ? Future.succeededFuture(moved) : Future.failedFuture(failure));
      });
    });
  }

  @Override
  public Future<List<StoredItem>> peek(int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_PEEK) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + ": peek lists 1.." + MAX_PEEK
        + " items from an offset of 0 or more, not " + limit + " from " + offset));
    }
    return onContext(() -> {
      List<String> ids = index.idsInOrder(System.currentTimeMillis(), offset, limit);
      List<Future<Optional<ItemRecord>>> reads = new ArrayList<>(ids.size());
      ids.forEach(id -> reads.add(read(id)));
      return Future.all(reads).map(all -> {
        List<StoredItem> items = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
          Optional<ItemRecord> stored = reads.get(i).result();
          if (stored.isPresent()) {
            ItemRecord r = stored.get();
            items.add(new StoredItem(ids.get(i), r.payload, r.priority, r.attempts, r.visibleAt, r.expiresAt, r.pastDeliveries()));
          }
        }
        return items;
      });
    });
  }

  @Override
  public Runnable addConsumer() {
    return consumers.add();
  }

  @Override
  public Future<String> enqueue(Buffer payload, int priority, Duration delay, Duration ttl) {
    return enqueue(payload, priority, delay, ttl, options.getOverflowPolicy());
  }

  /** Enqueues as {@link #enqueue(Buffer, int, Duration, Duration)} does, with {@code policy} at capacity. */
  private Future<String> enqueue(Buffer payload, int priority, Duration delay, Duration ttl, OverflowPolicy policy) {
    if (deadLetters == null) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + " holds dead letters and takes no"
        + " enqueues (to redrive an item, enqueue its payload to the queue it came from, then ack it here)"));
    }
    if (priority < 0 || priority > 255 || delay == null || delay.isNegative() || ttl == null || ttl.isNegative()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name
        + ": priority must be 0..255 and delay and ttl not negative, not " + priority + ", " + delay + " and " + ttl));
    }
    return onContext(() -> {
      if (index.occupied() < options.getCapacity()) {
        return add(payload, priority, delay, ttl);
      }
      return makeRoom(policy, priority).compose(v -> add(payload, priority, delay, ttl));
    });
  }

  /**
   * Makes room for one more dead letter here, at capacity by dropping the oldest ready one; fails with
   * {@code OVERLOADED} when none is ready to drop.
   */
  private Future<Void> roomForADeadLetter() {
    return onContext(() -> index.occupied() < options.getCapacity() ? Future.succeededFuture()
      : makeRoom(OverflowPolicy.DROP_OLDEST, 0));
  }

  /**
   * Drops a ready item as the overflow policy says, or fails with {@code OVERLOADED}: under
   * {@code DROP_NEWEST} (reject), when no item is ready, when the lowest one ranks above the arriving
   * {@code priority}, or when the victim was claimed meanwhile (by another node).
   */
  private Future<Void> makeRoom(OverflowPolicy policy, int priority) {
    long now = System.currentTimeMillis();
    QueueIndex.Slot victim = policy == OverflowPolicy.DROP_OLDEST ? index.oldestReady(now)
      : policy == OverflowPolicy.DROP_LOWEST_PRIORITY ? index.lowestPriorityReady(now) : null;
    if (victim == null) {
      return refuse(policy == OverflowPolicy.DROP_NEWEST ? "" : "; no item is ready to drop");
    }
    if (policy == OverflowPolicy.DROP_LOWEST_PRIORITY && victim.priority > priority) {
      return refuse("; nothing ready has a priority below " + priority);
    }
    index.remove(victim.id); // no other enqueue here picks it meanwhile, and its place stays reserved
    index.reserve(victim.id);
    return apply(victim.id, QueueOp.evict(now)).andThen(ar -> index.release(victim.id)).compose(r -> {
      if (r.outcome == QueueOp.Outcome.BUSY) {
        index.put(victim.id, r.item());
        return refuse("; its item to drop was just delivered");
      }
      if (r.outcome == QueueOp.Outcome.DONE) {
        (policy == OverflowPolicy.DROP_OLDEST ? droppedOldest : droppedLowest).increment();
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> refuse(String why) {
    refused.increment();
    return Future.failedFuture(new FlowException(FlowError.OVERLOADED, "queue " + name + " is full (capacity "
      + options.getCapacity() + " items)" + why));
  }

  /** Stores a new item and indexes it; completes with its id. */
  private Future<String> add(Buffer payload, int priority, Duration delay, Duration ttl) {
    long seq = nextSeq();
    String id = newId(seq);
    long now = System.currentTimeMillis();
    ItemRecord record = new ItemRecord(seq, priority, 0, now + delay.toMillis(), ttl.isZero() ? 0 : now + ttl.toMillis(), payload);
    index.reserve(id);
    return store(id, record)
      .andThen(ar -> index.release(id))
      .map(v -> {
        index.put(id, record);
        enqueued.increment();
        return id;
      });
  }

  @Override
  public Future<Optional<QueueItem>> receive() {
    return onContext(() -> next(0));
  }

  /** Claims the best ready item the index knows of; an item the store says is not ready is re-indexed and the next tried. */
  private Future<Optional<QueueItem>> next(int tries) {
    long now = System.currentTimeMillis();
    QueueIndex.Slot slot = tries < MAX_TRIES ? index.next(now) : null;
    if (slot == null) {
      if (tries == 0) {
        nothingReady();
      }
      return Future.succeededFuture(Optional.empty());
    }
    String id = slot.id;
    QueueOp claim = deadLetters == null ? QueueOp.claim(now, options.getVisibilityTimeoutMillis(), Integer.MAX_VALUE, false)
      : QueueOp.claim(now, options.getVisibilityTimeoutMillis(), options.getMaxAttempts(), true);
    return apply(id, claim).compose(r -> {
      switch (r.outcome) {
        case DELIVERED:
          ItemRecord item = r.item();
          index.put(id, item);
          if (item.attempts > 1) {
            redelivered.increment();
          }
          return Future.succeededFuture(Optional.of(new QueueItem(id, item.payload, item.priority, item.attempts, item.visibleAt,
            item.expiresAt, item.pastDeliveries())));
        case BUSY:
          index.put(id, r.item());
          return next(tries + 1);
        case DEAD:
          index.remove(id);
          dead.increment();
          return deadLetters.roomForADeadLetter()
            .transform(room -> room.succeeded() ? buryAndIndex(id, r.item().deadLetter(now)) : dropDead(id, now, room.cause()))
            .compose(v -> next(tries + 1));
        case EXPIRED:
          expired.increment();
          index.remove(id);
          return next(tries + 1);
        default:
          index.remove(id);
          return next(tries + 1);
      }
    }, failure -> {
      index.retry(slot);
      return Future.failedFuture(FlowException.from(failure));
    });
  }

  /** Buries the dead item {@code id} and indexes it in the dead letters here at once (other nodes hear of it). */
  private Future<Void> buryAndIndex(String id, ItemRecord deadLetter) {
    return bury(id, deadLetter).compose(v -> deadLetters.onContext(() -> {
      deadLetters.index.put(id, deadLetter);
      return Future.succeededFuture();
    }));
  }

  /** Drops the dead item {@code id}, for which its full dead letters had no room. */
  private Future<Void> dropDead(String id, long now, Throwable why) {
    log.warn("queue " + name + ": dropping dead item " + id + ", as its dead letters have no room: " + why.getMessage());
    return apply(id, QueueOp.evict(now)).map(r -> {
      if (r.outcome == QueueOp.Outcome.DONE) {
        droppedDead.increment();
      }
      return null;
    });
  }

  @Override
  public Future<Void> ack(String receipt) {
    return settle(receipt, (id, attempt) -> QueueOp.ack(attempt, System.currentTimeMillis())).andThen(ar -> {
      if (ar.succeeded()) {
        acked.increment();
      }
    });
  }

  @Override
  public Future<Void> nack(String receipt, Duration delay) {
    if (negative(delay)) {
      return negativeDelay(delay);
    }
    boolean recorded = deadLetters != null;
    return settle(receipt, (id, attempt) -> QueueOp.nack(attempt, System.currentTimeMillis(), delay.toMillis(), recorded)).andThen(ar -> {
      if (ar.succeeded()) {
        nacked.increment();
      }
    });
  }

  @Override
  public Future<Void> extend(String receipt, Duration more) {
    if (negative(more)) {
      return negativeDelay(more);
    }
    return settle(receipt, (id, attempt) -> QueueOp.extend(attempt, System.currentTimeMillis(), more.toMillis()));
  }

  private static boolean negative(Duration d) {
    return d == null || d.isNegative();
  }

  private Future<Void> negativeDelay(Duration d) {
    return Future.failedFuture(new FlowException(FlowError.INVALID, "queue " + name + ": a delay must not be negative, not " + d));
  }

  private interface OpFor {
    QueueOp op(String id, int attempt);
  }

  /** Applies the op of the delivery {@code receipt} names; {@code NO_ROUTE} when that delivery is not in flight. */
  private Future<Void> settle(String receipt, OpFor opFor) {
    int hash = receipt == null ? -1 : receipt.lastIndexOf('#');
    int attempt = hash < 0 ? -1 : parseAttempt(receipt.substring(hash + 1));
    if (attempt < 1) {
      return Future.failedFuture(notInFlight(receipt));
    }
    String id = receipt.substring(0, hash);
    return onContext(() -> apply(id, opFor.op(id, attempt)).map(r -> {
      if (r.outcome != QueueOp.Outcome.DONE) {
        throw notInFlight(receipt);
      }
      if (r.record == null) {
        index.remove(id);
      } else {
        index.put(id, r.item());
      }
      return null;
    }));
  }

  private static int parseAttempt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private FlowException notInFlight(String receipt) {
    return new FlowException(FlowError.NO_ROUTE, "queue " + name + ": '" + receipt + "' is not an item in flight"
      + " (acknowledged, or its visibility timeout ran out)");
  }

  <T> Future<T> onContext(Supplier<Future<T>> op) {
    return Contexts.call(context, op);
  }
}
