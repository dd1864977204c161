package io.flowsdk.grpc;

import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Vert.x instance with its flow bus and one gateway on a free loopback port; close() stops all. */
final class GatewayFixture implements AutoCloseable {

  final Vertx vertx;
  final FlowBus bus;
  final GrpcGateway gateway;

  GatewayFixture(GrpcGatewayOptions options) throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx));
    gateway = join(GrpcGateway.create(vertx, options.setHost("127.0.0.1").setPort(0)));
  }

  int port() {
    return gateway.actualPort();
  }

  /** The value of a gateway counter (summed over its tags that match {@code tags}). */
  double counter(String name, String... tags) {
    return FlowMetrics.registry(vertx).find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Override
  public void close() throws Exception {
    join(vertx.close());
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static FlowException flowFailure(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> join(future));
    assertTrue(e.getCause() instanceof FlowException, "expected a FlowException, got " + e.getCause());
    return (FlowException) e.getCause();
  }

  static Throwable failure(Future<?> future) {
    return assertThrows(ExecutionException.class, () -> join(future)).getCause();
  }
}
