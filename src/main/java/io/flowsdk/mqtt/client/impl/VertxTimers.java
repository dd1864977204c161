package io.flowsdk.mqtt.client.impl;

import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** {@link Timers} on the client's Vert.x context: timers fire there and continuations hop there. */
final class VertxTimers implements Timers {

  private final Vertx vertx;
  private final Context context;

  VertxTimers(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  @Override
  public void execute(Runnable task) {
    Contexts.run(context, task);
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
