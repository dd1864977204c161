package io.flowsdk.table.impl;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.grpc.GrpcFailures;
import io.flowsdk.grpc.v1.TableChange;
import io.flowsdk.grpc.v1.TableDeleteResponse;
import io.flowsdk.grpc.v1.TableGetResponse;
import io.flowsdk.grpc.v1.TableGrpcService;
import io.flowsdk.grpc.v1.TableItem;
import io.flowsdk.grpc.v1.TableScanResponse;
import io.flowsdk.grpc.v1.TableWatchRequest;
import io.flowsdk.middleware.GrpcCalls;
import io.flowsdk.table.FlowTable;
import io.flowsdk.table.TableEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.time.Duration;
import java.util.Map;

/** The {@code flowsdk.v1.Table} gRPC service over the tables of one node. */
public final class TableEndpoint {

  private TableEndpoint() {
  }

  /** The service over {@code served}, looked up at each call (a map that changes serves what it holds then). */
  public static Service service(FlowBus bus, Map<String, FlowTable> served) {
    return Service.service(TableGrpcService.SERVICE_NAME, TableGrpcService.SERVICE_DESCRIPTOR)
      .bind(TableGrpcService.Get, request -> GrpcCalls.unary(request, m -> table(served, m.getTable())
        .compose(t -> t.get(m.getKey()))
        .map(found -> found.map(e -> TableGetResponse.newBuilder().setFound(true).setEntry(item(e)).build())
          .orElse(TableGetResponse.getDefaultInstance()))))
      .bind(TableGrpcService.Put, request -> GrpcCalls.unary(request, m -> table(served, m.getTable())
        .compose(t -> m.getIfAbsent()
          ? t.putIfAbsent(m.getKey(), value(m.getValue()), Duration.ofMillis(m.getTtlMillis()))
          : t.put(m.getKey(), value(m.getValue()), Duration.ofMillis(m.getTtlMillis())))
        .map(TableEndpoint::item)))
      .bind(TableGrpcService.Cas, request -> GrpcCalls.unary(request, m -> table(served, m.getTable())
        .compose(t -> t.compareAndSet(m.getKey(), m.getExpectedVersion(), value(m.getValue()), Duration.ofMillis(m.getTtlMillis())))
        .map(TableEndpoint::item)))
      .bind(TableGrpcService.Delete, request -> GrpcCalls.unary(request, m -> table(served, m.getTable())
        .compose(t -> t.delete(m.getKey()))
        .map(deleted -> TableDeleteResponse.newBuilder().setDeleted(deleted).build())))
      .bind(TableGrpcService.Scan, request -> GrpcCalls.unary(request, m -> table(served, m.getTable())
        .compose(t -> t.scan(m.getPrefix(), m.getAfterKey().isEmpty() ? null : m.getAfterKey(), m.getLimit()))
        .map(page -> {
          TableScanResponse.Builder b = TableScanResponse.newBuilder();
          page.forEach(e -> b.addEntries(item(e)));
          return b.build();
        })))
      .bind(TableGrpcService.Watch, request -> request.handler(m -> watch(bus, served, request, m)))
      .build();
  }

  private static Future<FlowTable> table(Map<String, FlowTable> tables, String name) {
    FlowTable t = tables.get(name);
    return t != null ? Future.succeededFuture(t)
      : Future.failedFuture(new FlowException(FlowError.INVALID, "this node serves no table '" + name + "'"));
  }

  private static Buffer value(ByteString bytes) {
    return Buffer.buffer(bytes.toByteArray());
  }

  private static TableItem item(TableEntry e) {
    return TableItem.newBuilder().setKey(e.key()).setValue(ByteString.copyFrom(e.value().getBytes()))
      .setVersion(e.version()).setExpiresAt(e.expiresAt()).build();
  }

  /**
   * Streams the changes the table publishes on {@code $table/<name>/<filter>}; a watcher whose
   * writes back up is ended with RESOURCE_EXHAUSTED rather than buffered without bound.
   */
  private static void watch(FlowBus bus, Map<String, FlowTable> tables, GrpcServerRequest<TableWatchRequest, TableChange> request,
                            TableWatchRequest m) {
    var response = request.response();
    String prefix = FlowTable.watchTopic(m.getTable(), "");
    FlowSubscription[] subscription = {null};
    boolean[] ended = {false};
    Runnable stop = () -> {
      ended[0] = true;
      if (subscription[0] != null) {
        subscription[0].close();
      }
    };
    request.exceptionHandler(e -> stop.run());
    response.exceptionHandler(e -> stop.run());
    table(tables, m.getTable())
      .compose(t -> bus.subscribe(prefix + (m.getFilter().isEmpty() ? "#" : m.getFilter()), message -> {
        if (ended[0]) {
          return;
        }
        if (response.writeQueueFull()) {
          stop.run();
          GrpcFailures.fail(response, new FlowException(FlowError.OVERLOADED, "table " + m.getTable()
            + ": the watcher did not keep up with the changes"));
          return;
        }
        String version = message.header("version");
        response.write(TableChange.newBuilder().setKey(message.topic().substring(prefix.length()))
          .setOp(String.valueOf(message.header("op"))).setVersion(version == null ? 0 : Long.parseLong(version))
          .setValue(ByteString.copyFrom(message.payload().getBytes())).build());
      }))
      .onComplete(ar -> {
        if (ar.failed()) {
          ended[0] = true;
          GrpcFailures.fail(response, ar.cause());
        } else if (ended[0]) {
          ar.result().close();
        } else {
          subscription[0] = ar.result();
        }
      });
  }
}
