package io.flowsdk.table;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/** A counter in a table, incremented by compare-and-set with retry: what concurrent CAS must get right. */
final class TableCounter {

  private TableCounter() {
  }

  /** Increments {@code key} {@code times} times, one after the other, retrying each on a version conflict. */
  static Future<Void> increment(FlowTable table, String key, int times) {
    return times == 0 ? Future.succeededFuture() : incrementOnce(table, key).compose(v -> increment(table, key, times - 1));
  }

  private static Future<Void> incrementOnce(FlowTable table, String key) {
    return table.get(key).compose(found -> {
      long version = found.map(TableEntry::version).orElse(0L);
      long value = found.map(e -> Long.parseLong(e.value().toString())).orElse(0L);
      return table.compareAndSet(key, version, Buffer.buffer(Long.toString(value + 1)), Duration.ZERO).<Void>mapEmpty()
        .recover(e -> e instanceof FlowException && ((FlowException) e).error() == FlowError.REFUSED
          ? incrementOnce(table, key) : Future.failedFuture(e));
    });
  }
}
