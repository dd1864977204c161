package io.flowsdk.queue.impl;

import io.flowsdk.FlowException;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.queue.QueueStats;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreBatch;
import io.flowsdk.storage.StoreEntry;
import io.flowsdk.util.Contexts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Optional;

/**
 * A queue in the store map {@code queue.<name>}, its dead letters a queue of the same kind in
 * {@code queue.<dead letter queue>} (by default {@code queue.<name>.dlq}); an item moves there in one
 * store write. The index is exact here (the two queues are the only writers of their maps) and rebuilt
 * from the store when the queue opens. Every change of an item is stored before it is answered,
 * including each delivery (its attempt and visibility), so after a crash an item in flight is
 * delivered again when its timeout runs out and its attempts are kept.
 */
public final class EmbeddedQueue extends IndexedQueue {

  private static final int LOAD_PAGE = 1000;

  private final FlowStore store;
  private final String map;
  /** The map of {@link #deadLetters}; null in a dead-letter queue. */
  private final String deadLetterMap;
  private long nextSeq;

  private EmbeddedQueue(Vertx vertx, String name, FlowStore store, QueueOptions options, EmbeddedQueue deadLetters) {
    super(vertx, name, options, deadLetters);
    this.store = store;
    this.map = "queue." + name;
    this.deadLetterMap = deadLetters == null ? null : deadLetters.map;
  }

  public static Future<FlowQueue> open(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    try {
      checkName(name);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    EmbeddedQueue deadLetters = new EmbeddedQueue(vertx, options.deadLetterQueueOf(name), store, options, null);
    EmbeddedQueue queue = new EmbeddedQueue(vertx, name, store, options, deadLetters);
    return Contexts.call(deadLetters.context, () -> deadLetters.load(null))
      .compose(v -> Contexts.call(queue.context, () -> queue.load(null))).map(queue);
  }

  private Future<Void> load(String afterKey) {
    return store.scan(map, "", afterKey, LOAD_PAGE).compose(page -> {
      for (StoreEntry e : page) {
        ItemRecord r = ItemRecord.decode(e.value());
        index.put(e.key(), r);
        nextSeq = Math.max(nextSeq, r.seq + 1);
      }
      return page.size() == LOAD_PAGE ? load(page.get(page.size() - 1).key()) : Future.succeededFuture();
    });
  }

  @Override
  boolean preferred(String id) {
    return true;
  }

  @Override
  long nextSeq() {
    return nextSeq++;
  }

  @Override
  String newId(long seq) {
    return String.format("%016d", seq);
  }

  @Override
  Future<Void> store(String id, ItemRecord record) {
    return store.put(map, id, record.encode());
  }

  @Override
  Future<QueueOp.Result> apply(String id, QueueOp op) {
    return store.update(map, id, op::update);
  }

  @Override
  Future<Optional<ItemRecord>> read(String id) {
    return store.get(map, id).map(found -> found.map(ItemRecord::decode));
  }

  @Override
  Future<Void> bury(String id, ItemRecord deadLetter) {
    return store.write(new StoreBatch().delete(map, id).put(deadLetterMap, id, deadLetter.encode()));
  }

  @Override
  public Future<Integer> size() {
    return onContext(() -> Future.succeededFuture(index.size()));
  }

  /** The indexes are exact here, so they count the items and the dead letters. */
  @Override
  public Future<QueueStats> stats() {
    Future<Integer> dead = deadLetters == null ? Future.succeededFuture(0) : deadLetters.size();
    return dead.compose(deadCount -> onContext(() -> {
      ItemCounts counts = new ItemCounts(System.currentTimeMillis());
      index.countInto(counts);
      return Future.succeededFuture(counts.stats(deadCount, consumers.get()));
    }));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
