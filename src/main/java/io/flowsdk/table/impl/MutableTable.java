package io.flowsdk.table.impl;

import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.flowsdk.table.TableOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/** The three writes of a table, each one {@link Mutation} that a backend applies atomically to its key. */
abstract class MutableTable implements FlowTable {

  private final Duration defaultTtl;

  MutableTable(TableOptions options) {
    this.defaultTtl = Duration.ofMillis(options.getDefaultTtlMillis());
  }

  @Override
  public final Future<TableEntry> put(String key, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.PUT, value, 0, orDefault(ttl));
  }

  @Override
  public final Future<TableEntry> putIfAbsent(String key, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.PUT_IF_ABSENT, value, 0, orDefault(ttl));
  }

  @Override
  public final Future<TableEntry> compareAndSet(String key, long expectedVersion, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.COMPARE_AND_SET, value, expectedVersion, orDefault(ttl));
  }

  /** {@code ttl}, or the table's default TTL when it is zero (a null or negative one is refused by the backend). */
  private Duration orDefault(Duration ttl) {
    return ttl != null && ttl.isZero() ? defaultTtl : ttl;
  }

  /** Applies a mutation of {@code kind} to {@code key}: the entry it made, or {@code REFUSED} saying why not. */
  abstract Future<TableEntry> mutate(String key, Mutation.Kind kind, Buffer value, long expectedVersion, Duration ttl);
}
