package io.flowsdk.bus;

import io.vertx.core.Future;

/**
 * A live subscription. While paused, arriving messages wait in its bounded buffer and the
 * {@link SubscriptionOptions#getOverflowPolicy() overflow policy} applies when it is full.
 */
public interface FlowSubscription {

  /** The filter as subscribed, including a {@code $share/group/} prefix. */
  String filter();

  /** Stops handing messages to the handler; they are buffered up to the configured bound. */
  FlowSubscription pause();

  /** Hands buffered and new messages to the handler again. */
  FlowSubscription resume();

  boolean isPaused();

  /** Messages waiting in the buffer now. */
  int buffered();

  /** Messages this subscription dropped at its bound since it was made. */
  long dropped();

  /**
   * Removes the subscription here and from the cluster's routes. Buffered QoS 1/2 messages, and any
   * that arrive while it closes, fail their publishers with {@link io.flowsdk.FlowError#DISCONNECTED}.
   */
  Future<Void> close();
}
