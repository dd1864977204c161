package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.util.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;

/**
 * Publishes an inbound QoS 1/2 message on the flow bus, trying again with {@link Backoff} while the
 * failure is {@link FlowError#retriable() retriable}, at most {@code maxAttempts} times in all; then
 * fails with the last failure. QoS 0 is tried once. Runs on the bridge's context only.
 */
final class BusPublishRetry {

  private final Vertx vertx;
  private final FlowBus bus;
  private final int maxAttempts;
  private final Backoff backoff;
  private final BridgeMeters meters;
  /** Retries waiting for their timer, so that {@link #close} can end them. */
  private final Map<Long, Promise<Void>> waiting = new HashMap<>();
  private boolean closed;

  BusPublishRetry(Vertx vertx, FlowBus bus, int maxAttempts, Backoff backoff, BridgeMeters meters) {
    this.vertx = vertx;
    this.bus = bus;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.meters = meters;
  }

  Future<Void> publish(FlowMessage message) {
    return attempt(message, 1);
  }

  private Future<Void> attempt(FlowMessage message, int attempt) {
    return bus.publish(message).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture();
      }
      FlowException failure = FlowException.from(ar.cause());
      if (closed || attempt >= maxAttempts || message.qos() == QoS.AT_MOST_ONCE || !failure.error().retriable()) {
        return Future.failedFuture(failure);
      }
      meters.busRetry();
      Promise<Void> next = Promise.promise();
      long timer = vertx.setTimer(backoff.delay(attempt), id -> {
        waiting.remove(id);
        attempt(message, attempt + 1).onComplete(next);
      });
      waiting.put(timer, next);
      return next.future();
    });
  }

  /** Ends the waiting retries with {@code CANCELLED}: the bridge is stopping. */
  void close() {
    closed = true;
    waiting.forEach((timer, next) -> {
      vertx.cancelTimer(timer);
      next.tryFail(new FlowException(FlowError.CANCELLED, "the MQTT bridge stopped while retrying the bus publish"));
    });
    waiting.clear();
  }
}
