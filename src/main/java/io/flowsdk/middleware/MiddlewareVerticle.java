package io.flowsdk.middleware;

import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.storage.FlowStore;
import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens the queues and tables of {@code config()}, the JSON form of {@link MiddlewareOptions}
 * (descriptor {@code verticles/middleware.json}), and registers them in the node's
 * {@link NodeMiddleware}, where the gRPC gateway and the MQTT broker of the node find them (a queue's dead
 * letters too, under their own name, {@link QueueOptions#deadLetterQueueOf}). In a
 * clustered Vert.x they live in Hazelcast ({@link FlowQueue#clustered}, {@link FlowTable#clustered});
 * standalone in the embedded store of {@link MiddlewareOptions#getStore()}, which this verticle opens
 * and closes. Deploy one instance per node: a second one fails, as the names are taken.
 */
public class MiddlewareVerticle extends VerticleBase {

  private final List<FlowQueue> queues = new ArrayList<>();
  private final List<FlowTable> tables = new ArrayList<>();
  private FlowStore store;

  @Override
  public Future<?> start() {
    MiddlewareOptions options = new MiddlewareOptions(config());
    Future<Void> opened = vertx.isClustered() ? open(options) : FlowStore.open(vertx, options.getStore()).compose(s -> {
      store = s;
      return open(options);
    });
    // Vert.x does not stop a verticle whose start failed: release the store file and the names here
    return opened.recover(failure -> stop().transform(v -> Future.failedFuture(failure)));
  }

  /** Opens every queue and table, one after the other, registering each as it opens. */
  private Future<Void> open(MiddlewareOptions options) {
    NodeMiddleware node = NodeMiddleware.of(vertx);
    Future<Void> opened = Future.succeededFuture();
    for (Map.Entry<String, QueueOptions> q : options.getQueues().entrySet()) {
      opened = opened.compose(v -> openQueue(q.getKey(), q.getValue())).map(queue -> {
        queues.add(queue);
        node.add(queue);
        node.add(queue.deadLetters());
        return null;
      });
    }
    for (Map.Entry<String, TableOptions> t : options.getTables().entrySet()) {
      opened = opened.compose(v -> openTable(t.getKey(), t.getValue())).map(table -> {
        tables.add(table);
        node.add(table);
        return null;
      });
    }
    return opened;
  }

  private Future<FlowQueue> openQueue(String name, QueueOptions options) {
    return store == null ? FlowQueue.clustered(vertx, name, options) : FlowQueue.embedded(vertx, name, store, options);
  }

  private Future<FlowTable> openTable(String name, TableOptions options) {
    return store == null ? FlowTable.clustered(vertx, name, options) : FlowTable.embedded(vertx, name, store, options);
  }

  /** Unregisters and closes what it opened, then the store; the data stays. */
  @Override
  public Future<?> stop() {
    NodeMiddleware node = NodeMiddleware.of(vertx);
    List<Future<?>> closed = new ArrayList<>();
    for (FlowQueue q : queues) {
      node.remove(q);
      node.remove(q.deadLetters());
      closed.add(q.close());
    }
    for (FlowTable t : tables) {
      node.remove(t);
      closed.add(t.close());
    }
    return Future.join(closed).eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}
