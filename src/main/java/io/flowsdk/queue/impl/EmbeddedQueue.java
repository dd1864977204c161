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
import io.vertx.core.buffer.Buffer;

/**
 * A queue in the store maps {@code queue.<name>} (the items) and {@code queue.<dead letter queue>}
 * (the dead letters, by default {@code queue.<name>.dlq}). The index is exact here (this queue is
 * the store's only writer of its maps) and rebuilt from the store when the queue opens. Every change of an item is stored before it is answered,
 * including each delivery (its attempt and visibility), so after a crash an item in flight is
 * delivered again when its timeout runs out and its attempts are kept.
 */
public final class EmbeddedQueue extends IndexedQueue {

  private static final int LOAD_PAGE = 1000;

  private final FlowStore store;
  private final String map;
  private final String deadLetters;
  private long nextSeq;

  private EmbeddedQueue(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    super(vertx, name, options);
    this.store = store;
    this.map = "queue." + name;
    this.deadLetters = "queue." + options.deadLetterQueueOf(name);
  }

  public static Future<FlowQueue> open(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    try {
      checkName(name);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    EmbeddedQueue queue = new EmbeddedQueue(vertx, name, store, options);
    return Contexts.call(queue.context, () -> queue.load(null)).map(queue);
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
  Future<Void> bury(String id, byte[] record) {
    return store.write(new StoreBatch().delete(map, id).put(deadLetters, id, Buffer.buffer(record)));
  }

  @Override
  public Future<Integer> size() {
    return onContext(() -> Future.succeededFuture(index.size()));
  }

  /** The index is exact here, so it counts the items; the store counts the dead letters. */
  @Override
  public Future<QueueStats> stats() {
    return onContext(() -> {
      ItemCounts counts = new ItemCounts(System.currentTimeMillis());
      index.countInto(counts);
      return store.count(deadLetters).map(dead -> counts.stats(dead, consumers.get()));
    });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
