package io.flowsdk.mqtt.client.impl;

import io.vertx.core.Vertx;

/** {@link Timers} on Vert.x: timers fire on the context that set them (the client's event loop). */
final class VertxTimers implements Timers {

  private final Vertx vertx;

  VertxTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nowMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long schedule(long delayMillis, Runnable task) {
    return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    vertx.cancelTimer(id);
  }
}
