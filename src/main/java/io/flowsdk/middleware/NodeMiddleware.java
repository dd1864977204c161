package io.flowsdk.middleware;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.table.FlowTable;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.grpc.server.Service;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues and tables a node deploys from its JSON ({@link MiddlewareVerticle}), by name, for the
 * protocol adapters that reach them (the gRPC gateway's {@code flowsdk.v1.Queue} and
 * {@code flowsdk.v1.Table} services, the MQTT broker's {@code $queue/} and {@code $table/} topics).
 * One per Vert.x instance; the adapters look names up at each call, so the order in which the
 * verticles deploy does not matter.
 */
public final class NodeMiddleware implements Shareable {

  private static final String MAP = "flowsdk.middleware";
  private static final String KEY = "middleware";

  private final Map<String, FlowQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, FlowTable> tables = new ConcurrentHashMap<>();

  private NodeMiddleware() {
  }

  /** The registry of {@code vertx}, created on first use. */
  public static NodeMiddleware of(Vertx vertx) {
    LocalMap<String, NodeMiddleware> map = vertx.sharedData().getLocalMap(MAP);
    NodeMiddleware created = new NodeMiddleware();
    NodeMiddleware existing = map.putIfAbsent(KEY, created);
    return existing != null ? existing : created;
  }

  /** The queues deployed here, by name: a live, read-only view. */
  public Map<String, FlowQueue> queues() {
    return Collections.unmodifiableMap(queues);
  }

  /** The tables deployed here, by name: a live, read-only view. */
  public Map<String, FlowTable> tables() {
    return Collections.unmodifiableMap(tables);
  }

  /**
   * The {@code flowsdk.v1.Queue} and {@code flowsdk.v1.Table} gRPC services over this node's queues
   * and tables as they are at each call (a name not deployed is {@code INVALID_ARGUMENT}).
   */
  public List<Service> grpcServices(Vertx vertx, FlowBus bus) {
    return List.of(FlowQueue.grpcService(vertx, queues()), FlowTable.grpcService(bus, tables()));
  }

  public Optional<FlowQueue> queue(String name) {
    return Optional.ofNullable(queues.get(name));
  }

  public Optional<FlowTable> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  /** Adds {@code queue}; fails with {@code INVALID} when a queue of its name is deployed here already. */
  void add(FlowQueue queue) {
    if (queues.putIfAbsent(queue.name(), queue) != null) {
      throw new FlowException(FlowError.INVALID, "queue '" + queue.name() + "' is deployed on this node already");
    }
  }

  /** Adds {@code table}; fails with {@code INVALID} when a table of its name is deployed here already. */
  void add(FlowTable table) {
    if (tables.putIfAbsent(table.name(), table) != null) {
      throw new FlowException(FlowError.INVALID, "table '" + table.name() + "' is deployed on this node already");
    }
  }

  void remove(FlowQueue queue) {
    queues.remove(queue.name(), queue);
  }

  void remove(FlowTable table) {
    tables.remove(table.name(), table);
  }
}
