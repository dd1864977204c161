package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message on its way to one subscriber and, at QoS 1/2, the promise its publisher waits on.
 * The subscriber's context claims it for the handler while the bus context may expire it at the
 * delivery deadline; the state decides which one wins, so the publisher is told exactly one
 * outcome and an expired message never reaches the handler.
 */
final class Handoff {

  private static final int WAITING = 0;
  private static final int HANDED = 1;
  private static final int DONE = 2;

  private static final AtomicIntegerFieldUpdater<Handoff> STATE = AtomicIntegerFieldUpdater.newUpdater(Handoff.class, "state");

  final FlowMessage message;
  private final Promise<Void> ack;
  /** Only a QoS 1/2 handoff (one with an ack) can expire, so only its state is kept. */
  private volatile int state = WAITING;

  /** {@code ack} is null at QoS 0. */
  Handoff(FlowMessage message, Promise<Void> ack) {
    this.message = message;
    this.ack = ack;
  }

  /** Claims the message for the handler; false when it was expired or failed meanwhile. */
  boolean claim() {
    return ack == null || STATE.compareAndSet(this, WAITING, HANDED);
  }

  boolean isWaiting() {
    return state == WAITING;
  }

  /** The handler's outcome. */
  void complete(AsyncResult<Void> outcome) {
    if (ack != null) {
      state = DONE;
      if (outcome.succeeded()) {
        ack.tryComplete();
      } else {
        ack.tryFail(FlowException.from(outcome.cause()));
      }
    }
  }

  /** Fails a message that never reached the handler. */
  void fail(FlowError error, String reason) {
    if (ack != null) {
      state = DONE;
      ack.tryFail(new FlowException(error, reason));
    }
  }

  /**
   * The delivery deadline passed: a message still waiting is taken back ({@code OVERLOADED}), one the
   * handler holds is reported as not acknowledged ({@code TIMEOUT}).
   */
  void expire(String filter, long timeoutMillis) {
    if (STATE.compareAndSet(this, WAITING, DONE)) {
      ack.tryFail(new FlowException(FlowError.OVERLOADED, "subscription '" + filter
        + "' did not take the message within " + timeoutMillis + " ms (paused or too slow); it was not delivered"));
    } else if (state == HANDED) {
      ack.tryFail(new FlowException(FlowError.TIMEOUT, "the handler of subscription '" + filter
        + "' did not complete within " + timeoutMillis + " ms"));
    }
  }
}
