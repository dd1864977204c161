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
   * Puts this member of a shared group on stand-by ({@code true}) or takes it off: a member on stand-by takes the
   * group's messages only while no member of the group, on any node, is not on stand-by. For a subscriber that is
   * away but keeps its place, such as a persistent MQTT session whose client is offline: the group's messages go
   * to the members that are there, and reach it only when none is. New subscriptions are not on stand-by; for a
   * subscription that is not shared this does nothing. Completes once the cluster's route table says so.
   */
  Future<Void> standBy(boolean standBy);

  /**
   * Removes the subscription here and from the cluster's routes. Buffered QoS 1/2 messages, and any
   * that arrive while it closes, fail their publishers with {@link io.flowsdk.FlowError#DISCONNECTED}.
   */
  Future<Void> close();
}
