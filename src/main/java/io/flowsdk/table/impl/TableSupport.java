package io.flowsdk.table.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.QoS;
import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.flowsdk.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.function.Supplier;

/** What both table backends share: argument checks, the answers to refused mutations, and watch messages. */
final class TableSupport {

  private final FlowBus bus;
  private final String name;
  private final FlowOrigin origin;

  TableSupport(FlowBus bus, String name) {
    String problem = Topics.nameProblem(FlowTable.watchTopic(name, "k"));
    if (problem != null || name.isEmpty() || name.contains("/")) {
      throw new FlowException(FlowError.INVALID, "table name '" + name + "' must be one topic level without '+', '#' or '/'");
    }
    this.bus = bus;
    this.name = name;
    this.origin = new FlowOrigin(bus.nodeId(), "table", name);
  }

  /** Fails with {@code INVALID} unless {@code key} makes a valid watch topic. */
  void checkKey(String key) {
    String problem = key == null || key.isEmpty() ? "a key must not be empty" : Topics.nameProblem(FlowTable.watchTopic(name, key));
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, "table " + name + ": key '" + key + "' is not valid: " + problem);
    }
  }

  /** Runs {@code op} once {@code key} (and what {@code op} checks first, such as the TTL) is valid, else fails with {@code INVALID}. */
  <T> Future<T> checked(String key, Supplier<Future<T>> op) {
    try {
      checkKey(key);
      return op.get();
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
  }

  static long ttlMillis(Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new FlowException(FlowError.INVALID, "a TTL must be zero (none) or positive, not " + ttl);
    }
    return ttl.toMillis();
  }

  /** The entry a mutation made, or the refusal that says why it did not apply. */
  Future<TableEntry> answer(String key, Mutation mutation, Mutation.Result result) {
    if (result.applied) {
      return Future.succeededFuture(mutation.valueAfter(result.versionBefore).entry(key));
    }
    String why = mutation.kind() == Mutation.Kind.PUT_IF_ABSENT
      ? "key '" + key + "' exists (version " + result.versionBefore + ")"
      : "key '" + key + "' is at version " + result.versionBefore + (result.versionBefore == 0 ? " (absent)" : "") + ", not "
      + mutation.expectedVersion();
    return Future.failedFuture(new FlowException(FlowError.REFUSED, "table " + name + ": " + why));
  }

  /** Publishes one change of {@code key}; callers publish each key's changes in version order. */
  void publish(String key, String op, long version, byte[] payload) {
    bus.publish(FlowMessage.builder(FlowTable.watchTopic(name, key))
      .payload(Buffer.buffer(payload))
      .qos(QoS.AT_LEAST_ONCE)
      .header("op", op)
      .header("version", Long.toString(version))
      .origin(origin)
      .build());
  }
}
