package io.flowsdk.storage;

import io.flowsdk.storage.impl.MvFlowStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The embedded, crash-safe key/value store of a standalone node, in named maps of string keys
 * (sorted) and binary values. Built on H2 MVStore (see {@code docs/storage.md} and
 * {@code docs/dependencies.md}).
 *
 * <p>Every call runs on one worker thread of its own, in call order, never on an event loop; futures
 * complete on the caller's context. A write's future completes once it is on disk according to the
 * {@link SyncPolicy}: an acknowledged write survives {@code kill -9} and power loss. Failures are
 * {@code FlowException}s: {@code INTERNAL} for an I/O error (the message says which file),
 * {@code CANCELLED} after {@link #close}.
 */
public interface FlowStore {

  /** Opens (creating when missing) the store file of {@code options}; fails with {@code INTERNAL} when it cannot. */
  static Future<FlowStore> open(Vertx vertx, StoreOptions options) {
    return MvFlowStore.open(vertx, options);
  }

  /** The value of {@code key} in {@code map}, or empty. */
  Future<Optional<Buffer>> get(String map, String key);

  /** Sets {@code key} in {@code map} to {@code value}; completes when durable. */
  Future<Void> put(String map, String key, Buffer value);

  /** Removes {@code key} from {@code map}; completes, when durable, with whether it was there. */
  Future<Boolean> delete(String map, String key);

  /** Applies {@code batch} atomically: after a crash either every operation of it is there or none. */
  Future<Void> write(StoreBatch batch);

  /**
   * Reads {@code key} of {@code map}, lets {@code decide} choose what to do with it (a pure function:
   * it runs on the store's worker thread), and applies the choice with no other call in between: the
   * store's compare-and-set. Completes with the update's result, once durable when it wrote.
   */
  <T> Future<T> update(String map, String key, Function<Optional<Buffer>, StoreUpdate<T>> decide);

  /**
   * Up to {@code limit} entries of {@code map} whose keys start with {@code prefix}, in key order,
   * starting after {@code afterKey} ({@code null} for the first page): pass the last key of a page
   * to get the next.
   */
  Future<List<StoreEntry>> scan(String map, String prefix, String afterKey, int limit);

  /**
   * Calls {@code action} with every entry of {@code map} whose key starts with {@code prefix}, in key
   * order, reading {@code pageSize} at a time; completes after the last. For loading a map at start.
   */
  default Future<Void> forEach(String map, String prefix, int pageSize, Consumer<StoreEntry> action) {
    return scan(map, prefix, null, pageSize).compose(new Function<List<StoreEntry>, Future<Void>>() {
      @Override
      public Future<Void> apply(List<StoreEntry> page) {
        page.forEach(action);
        return page.size() < pageSize ? Future.succeededFuture()
          : scan(map, prefix, page.get(page.size() - 1).key(), pageSize).compose(this);
      }
    });
  }

  /** The number of entries in {@code map} (0 for a map never written). */
  Future<Long> count(String map);

  /**
   * Commits, syncs and closes the file; later calls fail with {@code CANCELLED}. Closing the Vert.x
   * instance does the same for a store still open.
   */
  Future<Void> close();
}
