package io.flowsdk.bus.impl;

import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One QoS 1/2 delivery to this node's {@code targets}: handoff {@code i} goes to target {@code i}. It
 * ends once every handoff is settled (each exactly once, on any thread), with the number of targets that
 * took the message (those withdrawn while it travelled do not count), or with the failure of the first
 * target in order that failed. One counter instead of a future per target joined: this runs for every
 * acknowledged local delivery.
 */
final class Acknowledged {

  private static final AtomicIntegerFieldUpdater<Acknowledged> UNSETTLED =
    AtomicIntegerFieldUpdater.newUpdater(Acknowledged.class, "unsettled");

  private final List<LocalSubscription> targets;
  private final Handoff[] handoffs;
  private final Promise<Integer> outcome;
  private volatile int unsettled;
  /** Made at the first failure only; guarded by this. */
  private FlowException[] failures;
  /** Guarded by this. */
  private int withdrawn;

  /** {@code outcome} completes on the context it was made for (the bus's). */
  Acknowledged(List<LocalSubscription> targets, Promise<Integer> outcome) {
    this.targets = targets;
    this.handoffs = new Handoff[targets.size()];
    this.outcome = outcome;
    this.unsettled = targets.size();
  }

  /** The handoff for target {@code index}, to offer to it. */
  Handoff handoff(int index, FlowMessage message) {
    Handoff h = new Handoff(message, this, index);
    handoffs[index] = h;
    return h;
  }

  Future<Integer> future() {
    return outcome.future();
  }

  /** Handoff {@code index} ended: acknowledged when {@code failure} is null. */
  void settle(int index, FlowException failure) {
    if (failure != null) {
      synchronized (this) {
        if (failures == null) {
          failures = new FlowException[handoffs.length];
        }
        failures[index] = failure;
      }
    }
    settled();
  }

  /** A handoff reached a subscription that had closed: as if it had never matched. */
  void withdraw() {
    synchronized (this) {
      withdrawn++;
    }
    settled();
  }

  private void settled() {
    if (UNSETTLED.decrementAndGet(this) == 0) {
      FlowException first = firstFailure();
      if (first == null) {
        outcome.complete(handoffs.length - withdrawnCount());
      } else {
        outcome.fail(first);
      }
    }
  }

  private synchronized int withdrawnCount() {
    return withdrawn;
  }

  private synchronized FlowException firstFailure() {
    if (failures != null) {
      for (FlowException f : failures) {
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /** The delivery deadline passed: each handoff not settled yet ends (see {@link Handoff#expire}). */
  void expire(long timeoutMillis) {
    for (int i = 0; i < handoffs.length; i++) {
      handoffs[i].expire(targets.get(i).filter, timeoutMillis);
    }
  }
}
