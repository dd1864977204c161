package io.flowsdk.mqtt.client.impl;

/**
 * Time, timers and the thread of the protocol state machine: the client's event loop in production,
 * a manual clock in tests.
 */
interface Timers {

  /**
   * Runs {@code task} on the state machine's thread: at once when called there, later otherwise.
   * Futures handed out by the application (a message handler's acknowledgement, an authenticator's
   * answer) may complete on any thread; their continuations come back through here.
   */
  void execute(Runnable task);

  long nowMillis();

  /** Runs {@code task} once after {@code delayMillis}; returns an id for {@link #cancel}. */
  long schedule(long delayMillis, Runnable task);

  void cancel(long id);
}
