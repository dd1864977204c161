package io.flowsdk.mqtt.client.impl;

/** Time and timers of the protocol state machine; the event loop in production, a manual clock in tests. */
interface Timers {

  long nowMillis();

  /** Runs {@code task} once after {@code delayMillis}; returns an id for {@link #cancel}. */
  long schedule(long delayMillis, Runnable task);

  void cancel(long id);
}
