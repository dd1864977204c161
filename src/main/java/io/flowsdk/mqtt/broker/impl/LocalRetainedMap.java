package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.storage.FlowStore;
import io.flowsdk.storage.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retained messages of a standalone node, in its memory, and written through to an embedded
 * {@link FlowStore} file when one is configured, so they survive a restart or a {@code kill -9}: a
 * change completes once it is on disk, and opening reads the file back.
 */
final class LocalRetainedMap implements RetainedMap {

  /** The map of the store file that holds them. */
  static final String STORE_MAP = "mqtt.retained";
  private static final int PAGE = 1000;

  private final Map<String, byte[]> values = new HashMap<>();
  /** Null: in memory only. */
  private final FlowStore store;

  private LocalRetainedMap(FlowStore store) {
    this.store = store;
  }

  /** Memory only when {@code storePath} is null; otherwise the store file there, read into memory and {@code index}. */
  static Future<RetainedMap> open(Vertx vertx, String storePath, RetainedIndex index) {
    if (storePath == null) {
      return Future.succeededFuture(new LocalRetainedMap(null));
    }
    return FlowStore.open(vertx, new StoreOptions().setPath(storePath)).compose(store -> {
      LocalRetainedMap map = new LocalRetainedMap(store);
      return store.forEach(STORE_MAP, "", PAGE, e -> {
        byte[] value = e.value().getBytes();
        map.values.put(e.key(), value);
        index.put(e.key(), RetainedValue.size(e.key(), value));
      }).<RetainedMap>map(map)
        .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure)));
    });
  }

  @Override
  public Future<Void> put(String topic, byte[] value) {
    values.put(topic, value);
    return store == null ? Future.succeededFuture() : store.put(STORE_MAP, topic, Buffer.buffer(value));
  }

  @Override
  public Future<Void> remove(String topic) {
    values.remove(topic);
    return store == null ? Future.succeededFuture() : store.delete(STORE_MAP, topic).mapEmpty();
  }

  @Override
  public Future<Map<String, byte[]>> get(List<String> topics) {
    Map<String, byte[]> found = new HashMap<>();
    for (String topic : topics) {
      byte[] value = values.get(topic);
      if (value != null) {
        found.put(topic, value);
      }
    }
    return Future.succeededFuture(found);
  }

  @Override
  public Future<Void> close() {
    return store == null ? Future.succeededFuture() : store.close();
  }
}
