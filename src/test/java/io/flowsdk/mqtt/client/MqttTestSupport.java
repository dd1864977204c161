package io.flowsdk.mqtt.client;

import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small helpers for MQTT client tests that run on the JUnit thread. */
final class MqttTestSupport {

  private MqttTestSupport() {
  }

  /** The future's value, waiting at most 10 s; a failure is rethrown as it is. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no result within 10 s", e);
    }
  }

  /** The failure of a future that must fail within 10 s. */
  static Throwable awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no result within 10 s", e);
    }
    throw new AssertionError("the future succeeded but was expected to fail");
  }
}
