package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;

/** One step of a rule, applied in order to each message the rule's topic filter and condition let through. */
interface Action {

  /** The action's {@code type} in the rule JSON, the {@code action} tag of its meters. */
  String type();

  /**
   * Applies the action to {@code candidate} at time {@code nowNanos}; a forward adds the message to
   * publish to {@code forwards}.
   */
  Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards);
}
