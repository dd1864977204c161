package io.flowsdk.table.impl;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreEntry;
import io.flowsdk.storage.StoreUpdate;
import io.flowsdk.table.TableEntry;
import io.flowsdk.table.TableOptions;
import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A table in the node's embedded {@link FlowStore}, in the store map {@code table.<name>}. Every
 * mutation starts on the table's own context and runs in the store's single worker in that order, so
 * their completions, and the watch messages published at completion, come in version order per key.
 * Expired entries are absent to reads at once and deleted (with an {@code expired} message) by a
 * sweep every {@link #SWEEP_MILLIS}.
 */
public final class EmbeddedTable extends MutableTable {

  static final long SWEEP_MILLIS = 1000;
  private static final int SWEEP_PAGE = 1000;

  private final Vertx vertx;
  private final FlowStore store;
  private final String name;
  private final String map;
  private final TableSupport support;
  private final Context context;
  private final long sweepTimer;

  public EmbeddedTable(Vertx vertx, FlowBus bus, String name, FlowStore store, TableOptions options) {
    super(options);
    this.support = new TableSupport(bus, name);
    this.vertx = vertx;
    this.store = store;
    this.name = name;
    this.map = "table." + name;
    this.context = vertx.getOrCreateContext();
    this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> context.runOnContext(v -> sweep(null)));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Optional<TableEntry>> get(String key) {
    return support.checked(key, () -> store.get(map, key)
      .map(found -> found.map(b -> StoredValue.decode(b.getBytes(), System.currentTimeMillis())).map(v -> v.entry(key))));
  }

  @Override
  public Future<Boolean> delete(String key) {
    return support.checked(key, () -> onContext(() -> {
      Mutation mutation = new Mutation(Mutation.Kind.DELETE, null, 0, 0, System.currentTimeMillis());
      return store.update(map, key, current -> {
        Mutation.Result r = mutation.decide(current.map(Buffer::getBytes).orElse(null));
        return r.applied ? StoreUpdate.delete(r) : StoreUpdate.keep(r);
      }).map(r -> {
        if (r.applied) {
          support.publish(key, "delete", r.versionBefore, new byte[0]);
        }
        return r.applied;
      });
    }));
  }

  @Override
  public Future<List<TableEntry>> scan(String prefix, String afterKey, int limit) {
    long now = System.currentTimeMillis();
    return store.scan(map, prefix, afterKey, limit).map(page -> {
      List<TableEntry> out = new ArrayList<>(page.size());
      for (StoreEntry e : page) {
        StoredValue v = StoredValue.decode(e.value().getBytes(), now);
        if (v != null) {
          out.add(v.entry(e.key()));
        }
      }
      return out;
    });
  }

  @Override
  public Future<Long> size() {
    return store.count(map);
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    return Future.succeededFuture();
  }

  @Override
  Future<TableEntry> mutate(String key, Mutation.Kind kind, Buffer value, long expectedVersion, Duration ttl) {
    return support.checked(key, () -> {
      Mutation mutation = new Mutation(kind, value.getBytes(), expectedVersion, TableSupport.ttlMillis(ttl), System.currentTimeMillis());
      return onContext(() -> store.update(map, key, current -> {
        Mutation.Result r = mutation.decide(current.map(Buffer::getBytes).orElse(null));
        return r.applied ? StoreUpdate.put(Buffer.buffer(mutation.valueAfter(r.versionBefore).encode()), r) : StoreUpdate.keep(r);
      }).compose(r -> {
        if (r.applied) {
          support.publish(key, "put", r.versionBefore + 1, mutation.valueAfter(r.versionBefore).payload);
        }
        return support.answer(key, mutation, r);
      }));
    });
  }

  /** Deletes the expired entries, a page at a time, each with an {@code expired} message. */
  private void sweep(String afterKey) {
    store.scan(map, "", afterKey, SWEEP_PAGE).onSuccess(page -> {
      long now = System.currentTimeMillis();
      for (StoreEntry e : page) {
        byte[] bytes = e.value().getBytes();
        if (StoredValue.decode(bytes, now) == null) {
          long version = StoredValue.versionOf(bytes);
          store.update(map, e.key(), current -> current.isPresent() && StoredValue.decode(current.get().getBytes(), now) == null
              ? StoreUpdate.delete(true) : StoreUpdate.keep(false))
            .onSuccess(deleted -> {
              if (deleted) {
                support.publish(e.key(), "expired", version, new byte[0]);
              }
            });
        }
      }
      if (page.size() == SWEEP_PAGE) {
        sweep(page.get(page.size() - 1).key());
      }
    });
  }

  private <T> Future<T> onContext(Supplier<Future<T>> op) {
    return Contexts.call(context, op);
  }

}
