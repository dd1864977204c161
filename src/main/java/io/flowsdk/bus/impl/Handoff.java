package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.AsyncResult;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message on its way to one subscriber and, at QoS 1/2, the delivery its publisher waits on.
 * The subscriber's context claims it for the handler while the bus context may expire it at the
 * delivery deadline; the state decides which one wins, so the delivery is told exactly one
 * outcome for it and an expired message never reaches the handler.
 */
final class Handoff {

  private static final int WAITING = 0;
  private static final int HANDED = 1;
  private static final int DONE = 2;

  private static final AtomicIntegerFieldUpdater<Handoff> STATE = AtomicIntegerFieldUpdater.newUpdater(Handoff.class, "state");

  final FlowMessage message;
  /** The QoS 1/2 delivery this handoff is part of, as its entry {@code index}; null at QoS 0. */
  private final Acknowledged delivery;
  private final int index;
  /** Only a QoS 1/2 handoff can expire, so only its state is kept. */
  private volatile int state = WAITING;

  /** A QoS 0 handoff: nobody waits for its outcome. */
  Handoff(FlowMessage message) {
    this(message, null, 0);
  }

  Handoff(FlowMessage message, Acknowledged delivery, int index) {
    this.message = message;
    this.delivery = delivery;
    this.index = index;
  }

  /** Claims the message for the handler; false when it was expired or failed meanwhile. */
  boolean claim() {
    return delivery == null || STATE.compareAndSet(this, WAITING, HANDED);
  }

  boolean isWaiting() {
    return state == WAITING;
  }

  /** The handler's outcome. */
  void complete(AsyncResult<Void> outcome) {
    if (delivery != null && STATE.getAndSet(this, DONE) != DONE) {
      delivery.settle(index, outcome.succeeded() ? null : FlowException.from(outcome.cause()));
    }
  }

  /** Fails a message that never reached the handler. */
  void fail(FlowError error, String reason) {
    if (delivery != null && STATE.getAndSet(this, DONE) != DONE) {
      delivery.settle(index, new FlowException(error, reason));
    }
  }

  /** The subscription closed before the message reached it: the delivery does not count it. */
  void withdraw() {
    if (delivery != null && STATE.getAndSet(this, DONE) != DONE) {
      delivery.withdraw();
    }
  }

  /**
   * The delivery deadline passed: a message still waiting is taken back ({@code OVERLOADED}), one the
   * handler holds is reported as not acknowledged ({@code TIMEOUT}).
   */
  void expire(String filter, long timeoutMillis) {
    if (STATE.compareAndSet(this, WAITING, DONE)) {
      delivery.settle(index, new FlowException(FlowError.OVERLOADED, "subscription '" + filter
        + "' did not take the message within " + timeoutMillis + " ms (paused or too slow); it was not delivered"));
    } else if (STATE.compareAndSet(this, HANDED, DONE)) {
      delivery.settle(index, new FlowException(FlowError.TIMEOUT, "the handler of subscription '" + filter
        + "' did not complete within " + timeoutMillis + " ms"));
    }
  }
}
