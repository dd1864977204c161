package io.flowsdk.table.impl;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.storage.impl.ClusterMaps;
import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.flowsdk.table.TableOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A table in the Hazelcast map {@code flowsdk.table.<name>} of the Vert.x cluster manager's
 * instance. Each mutation is an entry processor ({@link Mutation}) run on the member owning the key,
 * so concurrent compare-and-sets from any node are serialized per key; the map must keep at least one
 * synchronous backup (Hazelcast's default), which {@link #create} checks.
 *
 * <p>Watch messages come from a local entry listener: each member publishes the changes of the keys
 * it owns, in the order Hazelcast delivers them (per key, the order of the changes), through this
 * table's context. So every node should open the table: keys owned by a member without it are not
 * watched. When ownership of a partition moves (a member joins or leaves), a change may be
 * published by the new owner before the old owner's last one.
 */
public final class ClusteredTable extends MutableTable {

  private final Vertx vertx;
  private final String name;
  private final IMap<String, byte[]> map;
  private final TableSupport support;
  private final UUID listener;

  private ClusteredTable(Vertx vertx, FlowBus bus, String name, IMap<String, byte[]> map, TableOptions options) {
    super(options);
    this.vertx = vertx;
    this.name = name;
    this.map = map;
    this.support = new TableSupport(bus, name);
    Context context = vertx.getOrCreateContext();
    this.listener = map.addLocalEntryListener(new Watcher(context), Predicates.alwaysTrue(), true);
  }

  public static Future<FlowTable> create(Vertx vertx, FlowBus bus, String name, TableOptions options) {
    String mapName = "flowsdk.table." + name;
    HazelcastInstance hz;
    try {
      hz = ClusterMaps.backedUp(vertx, "table " + name, mapName, "FlowTable.embedded");
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> new ClusteredTable(vertx, bus, name, hz.getMap(mapName), options));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Optional<TableEntry>> get(String key) {
    return support.checked(key, () -> ClusterMaps.call(map.getAsync(key), vertx.getOrCreateContext(), "table " + name)
      .map(bytes -> Optional.ofNullable(StoredValue.decode(bytes, System.currentTimeMillis())).map(v -> v.entry(key))));
  }

  @Override
  public Future<Boolean> delete(String key) {
    return support.checked(key, () -> submit(key, new Mutation(Mutation.Kind.DELETE, null, 0, 0, System.currentTimeMillis()))
      .map(r -> r.applied));
  }

  /**
   * Hazelcast maps are not sorted: a page costs a scan of the keys on every member (with the prefix
   * test run there) and a sort here; fine for configuration-sized tables, not for millions of keys.
   */
  @Override
  public Future<List<TableEntry>> scan(String prefix, String afterKey, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "scan limit must be at least 1, not " + limit));
    }
    return vertx.executeBlocking(() -> {
      long now = System.currentTimeMillis();
      TreeMap<String, byte[]> sorted = new TreeMap<>();
      for (Map.Entry<String, byte[]> e : map.entrySet(new PrefixPredicate(prefix, afterKey))) {
        sorted.put(e.getKey(), e.getValue());
      }
      List<TableEntry> page = new ArrayList<>(Math.min(limit, sorted.size()));
      for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
        StoredValue v = StoredValue.decode(e.getValue(), now);
        if (v != null) {
          page.add(v.entry(e.getKey()));
          if (page.size() == limit) {
            break;
          }
        }
      }
      return page;
    }, false);
  }

  @Override
  public Future<Long> size() {
    return vertx.executeBlocking(() -> (long) map.size(), false);
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> map.removeEntryListener(listener)).mapEmpty();
  }

  @Override
  Future<TableEntry> mutate(String key, Mutation.Kind kind, Buffer value, long expectedVersion, Duration ttl) {
    return support.checked(key, () -> {
      Mutation mutation = new Mutation(kind, value.getBytes(), expectedVersion, TableSupport.ttlMillis(ttl), System.currentTimeMillis());
      return submit(key, mutation).compose(r -> support.answer(key, mutation, r));
    });
  }

  private Future<Mutation.Result> submit(String key, Mutation mutation) {
    return ClusterMaps.call(map.submitToKey(key, mutation), vertx.getOrCreateContext(), "table " + name);
  }

  /** Keys with the prefix, after {@code afterKey}; runs on the members. */
  static final class PrefixPredicate implements Predicate<String, byte[]>, IdentifiedDataSerializable {
    private String prefix;
    private String afterKey;

    /** For Hazelcast's factory, which then reads the fields. */
    PrefixPredicate() {
    }

    PrefixPredicate(String prefix, String afterKey) {
      this.prefix = prefix;
      this.afterKey = afterKey;
    }

    @Override
    public boolean apply(Map.Entry<String, byte[]> entry) {
      String key = entry.getKey();
      return key.startsWith(prefix) && (afterKey == null || key.compareTo(afterKey) > 0);
    }

    @Override
    public int getFactoryId() {
      return TableSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return TableSerializerHook.PREFIX;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(prefix);
      out.writeString(afterKey);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      prefix = in.readString();
      afterKey = in.readString();
    }
  }

  /** Publishes the changes of the keys this member owns, in Hazelcast's order, through one context. */
  private final class Watcher implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
    EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]> {

    private final Context context;

    Watcher(Context context) {
      this.context = context;
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
      put(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
      put(event);
    }

    private void put(EntryEvent<String, byte[]> event) {
      StoredValue v = StoredValue.decode(event.getValue(), 0);
      context.runOnContext(x -> support.publish(event.getKey(), "put", v.version, v.payload));
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
      long version = StoredValue.versionOf(event.getOldValue());
      context.runOnContext(x -> support.publish(event.getKey(), "delete", version, new byte[0]));
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> event) {
      long version = event.getOldValue() == null ? 0 : StoredValue.versionOf(event.getOldValue());
      context.runOnContext(x -> support.publish(event.getKey(), "expired", version, new byte[0]));
    }
  }
}
