package io.flowsdk.table.impl;

import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/** The three writes of a table, each one {@link Mutation} that a backend applies atomically to its key. */
abstract class MutableTable implements FlowTable {

  @Override
  public final Future<TableEntry> put(String key, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.PUT, value, 0, ttl);
  }

  @Override
  public final Future<TableEntry> putIfAbsent(String key, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.PUT_IF_ABSENT, value, 0, ttl);
  }

  @Override
  public final Future<TableEntry> compareAndSet(String key, long expectedVersion, Buffer value, Duration ttl) {
    return mutate(key, Mutation.Kind.COMPARE_AND_SET, value, expectedVersion, ttl);
  }

  /** Applies a mutation of {@code kind} to {@code key}: the entry it made, or {@code REFUSED} saying why not. */
  abstract Future<TableEntry> mutate(String key, Mutation.Kind kind, Buffer value, long expectedVersion, Duration ttl);
}
