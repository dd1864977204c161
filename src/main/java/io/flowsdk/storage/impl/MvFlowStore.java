package io.flowsdk.storage.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreBatch;
import io.flowsdk.storage.StoreEntry;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.storage.StoreUpdate;
import io.flowsdk.storage.SyncPolicy;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link FlowStore} on an H2 MVStore file with auto-commit off: changes are applied in memory and
 * reach the file only at a commit, which this class runs after each write ({@code EVERY_WRITE}) or
 * every {@code groupCommitMillis} for all writes since the last ({@code GROUP_COMMIT}), each commit
 * followed by an fsync before any write it covers is acknowledged. A commit is atomic, so a batch
 * applied in one worker task is on disk whole or not at all.
 *
 * <p>Closing the Vert.x instance closes the store (committing what it holds) if its owner did not.
 *
 * <p>All MVStore calls run on the store's own thread, so they are ordered and a commit
 * never sees half a batch. The pending acknowledgements are touched only on that thread.
 */
public final class MvFlowStore implements FlowStore {

  private final Vertx vertx;
  private final ExecutorService worker;
  private final MVStore store;
  private final StoreOptions options;
  private final long timerId;
  private final Closeable closeWithVertx = completion -> close().onComplete(completion);
  /** Answers of writes waiting for the next group commit, in the order of the writes; each takes the commit's failure or null. */
  private List<Consumer<Throwable>> uncommitted = new ArrayList<>();
  private volatile boolean closed;

  private MvFlowStore(Vertx vertx, ExecutorService worker, MVStore store, StoreOptions options) {
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.options = options;
    this.timerId = options.getSyncPolicy() == SyncPolicy.GROUP_COMMIT
      ? vertx.setPeriodic(options.getGroupCommitMillis(), id -> onWorker(vertx, worker, this::groupCommit))
      : -1;
    ((VertxInternal) vertx).addCloseHook(closeWithVertx);
  }

  public static Future<FlowStore> open(Vertx vertx, StoreOptions options) {
    Path file = Path.of(options.getPath()).toAbsolutePath();
    ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "flowsdk-store-" + file.getFileName());
      thread.setDaemon(true);
      return thread;
    });
    return MvFlowStore.<FlowStore>onWorker(vertx, worker, () -> {
      try {
        Files.createDirectories(file.getParent());
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        return new MvFlowStore(vertx, worker, store, new StoreOptions(options));
      } catch (Exception e) {
        throw new FlowException(FlowError.INTERNAL, "cannot open the store file " + file + ": " + e.getMessage(), e);
      }
    }).onFailure(e -> worker.shutdown());
  }

  /**
   * Runs {@code task} on the store's own thread (not a Vert.x worker pool, so that the store can
   * still commit while Vert.x closes) and completes on the caller's context.
   */
  private static <T> Future<T> onWorker(Vertx vertx, ExecutorService worker, Callable<T> task) {
    Promise<T> promise = ((ContextInternal) vertx.getOrCreateContext()).promise();
    try {
      worker.execute(() -> {
        try {
          promise.complete(task.call());
        } catch (Throwable e) {
          promise.fail(e);
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new FlowException(FlowError.CANCELLED, "the store is closed"));
    }
    return promise.future();
  }

  @Override
  public Future<Optional<Buffer>> get(String map, String key) {
    return run(() -> Optional.ofNullable(map(map).get(key)).map(Buffer::buffer));
  }

  @Override
  public Future<Void> put(String map, String key, Buffer value) {
    byte[] bytes = value.getBytes();
    return durable(() -> {
      map(map).put(key, bytes);
      return null;
    });
  }

  @Override
  public Future<Boolean> delete(String map, String key) {
    return durable(() -> map(map).remove(key) != null);
  }

  @Override
  public Future<Void> write(StoreBatch batch) {
    List<StoreBatch.Op> ops = List.copyOf(batch.ops());
    return durable(() -> {
      for (StoreBatch.Op op : ops) {
        if (op.value == null) {
          map(op.map).remove(op.key);
        } else {
          map(op.map).put(op.key, op.value);
        }
      }
      return null;
    });
  }

  @Override
  public <T> Future<T> update(String map, String key, Function<Optional<Buffer>, StoreUpdate<T>> decide) {
    return writing(() -> {
      MVMap<String, byte[]> m = map(map);
      StoreUpdate<T> update = decide.apply(Optional.ofNullable(m.get(key)).map(Buffer::buffer));
      if (!update.writes()) {
        return new Outcome<>(update.result(), false);
      }
      if (update.deletes()) {
        m.remove(key);
      } else {
        m.put(key, update.value().getBytes());
      }
      return new Outcome<>(update.result(), true);
    });
  }

  @Override
  public Future<List<StoreEntry>> scan(String map, String prefix, String afterKey, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "scan limit must be at least 1, not " + limit));
    }
    return run(() -> {
      MVMap<String, byte[]> m = map(map);
      String from = afterKey == null || afterKey.compareTo(prefix) < 0 ? prefix : m.higherKey(afterKey);
      List<StoreEntry> page = new ArrayList<>(Math.min(limit, 256));
      if (from == null) {
        return page;
      }
      Cursor<String, byte[]> cursor = m.cursor(from);
      while (page.size() < limit && cursor.hasNext()) {
        String key = cursor.next();
        if (!key.startsWith(prefix)) {
          break;
        }
        page.add(new StoreEntry(key, Buffer.buffer(cursor.getValue())));
      }
      return page;
    });
  }

  @Override
  public Future<Long> count(String map) {
    return run(() -> map(map).sizeAsLong());
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    vertx.cancelTimer(timerId);
    ((VertxInternal) vertx).removeCloseHook(closeWithVertx);
    return MvFlowStore.<Void>onWorker(vertx, worker, () -> {
      store.commit();
      store.sync();
      store.close();
      completeUncommitted(null);
      return null;
    }).onComplete(ar -> worker.shutdown());
  }

  private MVMap<String, byte[]> map(String name) {
    return store.openMap(name);
  }

  /** Runs a write on the worker and completes when a commit and an fsync covered it. */
  private <T> Future<T> durable(Callable<T> write) {
    return writing(() -> new Outcome<>(write.call(), true));
  }

  /** What a task on the worker answers, and whether it wrote (and so waits for a commit). */
  private record Outcome<T>(T result, boolean wrote) {
  }

  /**
   * Runs {@code task} on the worker and completes on the caller's context, once a commit and an fsync
   * covered its write (now, or at the next group commit), always after every earlier write of this
   * store: a caller sees its writes end in the order they were made (a table's watch messages rely on it).
   */
  private <T> Future<T> writing(Callable<Outcome<T>> task) {
    ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
    Promise<T> promise = caller.promise();
    if (closed) {
      promise.fail(new FlowException(FlowError.CANCELLED, "the store " + options.getPath() + " is closed"));
      return promise.future();
    }
    try {
      worker.execute(() -> {
        Outcome<T> outcome;
        try {
          outcome = task.call();
          if (outcome.wrote() && options.getSyncPolicy() == SyncPolicy.EVERY_WRITE) {
            commit();
          }
        } catch (Exception e) {
          promise.fail(e instanceof FlowException ? e : new FlowException(FlowError.INTERNAL, "store " + options.getPath() + ": " + e, e));
          return;
        }
        Consumer<Throwable> answer = failure -> {
          if (failure == null) {
            promise.complete(outcome.result());
          } else {
            promise.fail(failure);
          }
        };
        if (uncommitted.isEmpty() && (!outcome.wrote() || options.getSyncPolicy() == SyncPolicy.EVERY_WRITE)) {
          answer.accept(null);
        } else {
          uncommitted.add(answer);
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new FlowException(FlowError.CANCELLED, "the store is closed"));
    }
    return promise.future();
  }

  private <T> Future<T> run(Callable<T> task) {
    if (closed) {
      return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the store " + options.getPath() + " is closed"));
    }
    return onWorker(vertx, worker, () -> {
      try {
        return task.call();
      } catch (FlowException e) {
        throw e;
      } catch (Exception e) {
        throw new FlowException(FlowError.INTERNAL, "store " + options.getPath() + ": " + e, e);
      }
    });
  }

  private Void groupCommit() {
    if (uncommitted.isEmpty() || closed) {
      return null;
    }
    try {
      commit();
      completeUncommitted(null);
    } catch (RuntimeException e) {
      completeUncommitted(new FlowException(FlowError.INTERNAL, "store " + options.getPath() + ": commit failed: " + e, e));
    }
    return null;
  }

  private void commit() {
    store.commit();
    store.sync();
  }

  private void completeUncommitted(Throwable failure) {
    List<Consumer<Throwable>> done = uncommitted;
    uncommitted = new ArrayList<>();
    done.forEach(answer -> answer.accept(failure));
  }
}
