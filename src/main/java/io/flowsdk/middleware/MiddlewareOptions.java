package io.flowsdk.middleware;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.StoreOptions;
import io.flowsdk.table.TableOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Options of the {@link MiddlewareVerticle}: the queues and tables a node serves, each by name with
 * its options, and the embedded store they are kept in on a standalone node (reference
 * {@code docs/queue.md}, "Deploying from JSON").
 */
public class MiddlewareOptions {

  private final Map<String, QueueOptions> queues = new LinkedHashMap<>();
  private final Map<String, TableOptions> tables = new LinkedHashMap<>();
  private StoreOptions store = new StoreOptions();

  public MiddlewareOptions() {
  }

  public MiddlewareOptions(MiddlewareOptions other) {
    this(other.toJson());
  }

  public MiddlewareOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "MiddlewareOptions", "queues", "tables", "store");
    read(o.array("queues"), "queues", QueueOptions::new).forEach(this::addQueue);
    read(o.array("tables"), "tables", TableOptions::new).forEach(this::addTable);
    JsonObject s = o.object("store");
    store = s == null ? new StoreOptions() : new StoreOptions(s);
  }

  /** Each entry of {@code array}, a {@code name} and the JSON of its options, read in order. */
  private static <T> Map<String, T> read(JsonArray array, String key, Function<JsonObject, T> options) {
    Map<String, T> read = new LinkedHashMap<>();
    if (array == null) {
      return read;
    }
    for (int i = 0; i < array.size(); i++) {
      String where = "option '" + key + "[" + i + "]' of MiddlewareOptions";
      if (!(array.getValue(i) instanceof JsonObject)) {
        throw new FlowException(FlowError.INVALID, where + " must be an object with a 'name', not " + array.getValue(i));
      }
      JsonObject entry = array.getJsonObject(i).copy();
      Object name = entry.remove("name");
      if (!(name instanceof String) || ((String) name).isEmpty()) {
        throw new FlowException(FlowError.INVALID, where + " needs a 'name', a non-empty string");
      }
      if (read.containsKey(name)) {
        throw new FlowException(FlowError.INVALID, where + ": '" + name + "' is named twice");
      }
      try {
        read.put((String) name, options.apply(entry));
      } catch (FlowException e) {
        throw new FlowException(FlowError.INVALID, where + " ('" + name + "'): " + e.getMessage(), e);
      }
    }
    return read;
  }

  public JsonObject toJson() {
    JsonArray q = new JsonArray();
    queues.forEach((name, options) -> q.add(new JsonObject().put("name", name).mergeIn(options.toJson())));
    JsonArray t = new JsonArray();
    tables.forEach((name, options) -> t.add(new JsonObject().put("name", name).mergeIn(options.toJson())));
    return new JsonObject().put("queues", q).put("tables", t).put("store", store.toJson());
  }

  /**
   * The queues, by name, each entry {@code {"name": ..., <QueueOptions>}}; a queue's dead letters
   * must not be kept under the name of another queue or another queue's dead letters. Default none.
   */
  public Map<String, QueueOptions> getQueues() {
    return Collections.unmodifiableMap(queues);
  }

  public MiddlewareOptions addQueue(String name, QueueOptions options) {
    Set<String> taken = new HashSet<>(queues.keySet());
    queues.forEach((other, o) -> taken.add(o.deadLetterQueueOf(other)));
    String deadLetters = options.deadLetterQueueOf(name);
    if (taken.contains(name) || taken.contains(deadLetters) || name.equals(deadLetters)) {
      throw new FlowException(FlowError.INVALID, "queue '" + name + "' (dead letters '" + deadLetters
        + "') clashes with a queue or dead-letter queue of the same name");
    }
    queues.put(name, new QueueOptions(options));
    return this;
  }

  /** The tables, by name, each entry {@code {"name": ..., <TableOptions>}}. Default none. */
  public Map<String, TableOptions> getTables() {
    return Collections.unmodifiableMap(tables);
  }

  public MiddlewareOptions addTable(String name, TableOptions options) {
    if (tables.containsKey(name)) {
      throw new FlowException(FlowError.INVALID, "table '" + name + "' is named twice");
    }
    tables.put(name, new TableOptions(options));
    return this;
  }

  /**
   * The embedded store of a standalone node ({@code path}, {@code syncPolicy},
   * {@code groupCommitMillis}); unused in a cluster, where the data lives in Hazelcast. Default
   * {@code data/flowsdk.mv}, group commit every 5 ms.
   */
  public StoreOptions getStore() {
    return store;
  }

  public MiddlewareOptions setStore(StoreOptions store) {
    this.store = new StoreOptions(store);
    return this;
  }
}
