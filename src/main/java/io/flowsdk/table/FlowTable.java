package io.flowsdk.table;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.table.impl.ClusteredTable;
import io.flowsdk.table.impl.EmbeddedTable;
import io.flowsdk.table.impl.TableEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.Service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named key/value table with versions, TTL, prefix scans and watches (reference {@code docs/table.md}).
 *
 * <p>Every change is published on the flow bus to {@code $table/<name>/<key>} (QoS 1), with headers
 * {@code op} ({@code put}, {@code delete}, {@code expired}) and {@code version}, and the new value
 * as payload; changes of one key are published in version order. Subscribe to
 * {@code $table/<name>/#} to watch the whole table.
 *
 * <p>Keys are non-empty and must make a valid topic name after {@code $table/<name>/} (no {@code +},
 * {@code #}, U+0000); a {@code /} in a key is a topic level. Failures: {@code INVALID} for a bad key
 * or argument, {@code REFUSED} when a put-if-absent finds the key or a compare-and-set finds another
 * version (the message says which), {@code INTERNAL} for a storage failure.
 */
public interface FlowTable {

  /** The table {@code name} of a standalone node, kept in {@code store} (which the caller opens and closes). */
  static Future<FlowTable> embedded(Vertx vertx, String name, FlowStore store) {
    return embedded(vertx, name, store, new TableOptions());
  }

  /** Like {@link #embedded(Vertx, String, FlowStore)}, with {@code options} (such as a default TTL). */
  static Future<FlowTable> embedded(Vertx vertx, String name, FlowStore store, TableOptions options) {
    return FlowBus.create(vertx).map(bus -> new EmbeddedTable(vertx, bus, name, store, options));
  }

  /**
   * The table {@code name} of a cluster: the Hazelcast map {@code flowsdk.table.<name>} of the Vert.x
   * cluster manager's instance, with one synchronous backup, so losing one member loses nothing
   * acknowledged. Fails with {@code INVALID} when {@code vertx} is not clustered with Hazelcast.
   */
  static Future<FlowTable> clustered(Vertx vertx, String name) {
    return clustered(vertx, name, new TableOptions());
  }

  /** Like {@link #clustered(Vertx, String)}, with {@code options} (such as a default TTL). */
  static Future<FlowTable> clustered(Vertx vertx, String name, TableOptions options) {
    return FlowBus.create(vertx).compose(bus -> ClusteredTable.create(vertx, bus, name, options));
  }

  /**
   * The {@code flowsdk.v1.Table} gRPC service ({@code src/main/proto/flowsdk/v1/middleware.proto}) over
   * {@code tables}, by name, looked up at each call, for {@code GrpcGateway.create(vertx, options,
   * services)}; its Watch subscribes on {@code bus}.
   */
  static Service grpcService(FlowBus bus, Map<String, FlowTable> tables) {
    return TableEndpoint.service(bus, tables);
  }

  /** The topic changes of {@code key} in table {@code table} are published to. */
  static String watchTopic(String table, String key) {
    return "$table/" + table + "/" + key;
  }

  String name();

  /** The entry of {@code key}, or empty when there is none (or it expired). */
  Future<Optional<TableEntry>> get(String key);

  /** Sets {@code key} to {@code value} with the table's default TTL (by default none); completes with the new entry once stored. */
  default Future<TableEntry> put(String key, Buffer value) {
    return put(key, value, Duration.ZERO);
  }

  /**
   * Sets {@code key} to {@code value}, expiring after {@code ttl} ({@link Duration#ZERO}: after the
   * table's {@link TableOptions#getDefaultTtlMillis() default TTL}, by default never).
   */
  Future<TableEntry> put(String key, Buffer value, Duration ttl);

  /** Creates {@code key}; fails with {@code REFUSED} when it exists. */
  Future<TableEntry> putIfAbsent(String key, Buffer value, Duration ttl);

  /**
   * Sets {@code key} to {@code value} only when its version is {@code expectedVersion} (0: only when
   * absent); fails with {@code REFUSED} naming the version found otherwise.
   */
  Future<TableEntry> compareAndSet(String key, long expectedVersion, Buffer value, Duration ttl);

  /** Deletes {@code key}; completes with whether it was there. */
  Future<Boolean> delete(String key);

  /**
   * Up to {@code limit} entries whose keys start with {@code prefix}, in key order, after
   * {@code afterKey} ({@code null} for the first page).
   */
  Future<List<TableEntry>> scan(String prefix, String afterKey, int limit);

  /**
   * Entries stored: in a cluster the whole Hazelcast map's, so every node answers the same. An
   * expired entry counts until it is deleted (within a second or so).
   */
  Future<Long> size();

  /** Stops the table's timers and listeners; the data stays. */
  Future<Void> close();
}
