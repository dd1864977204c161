package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;

/** Ends the rule for this message: nothing after it runs, so only earlier forwards happened. */
final class DropAction implements Action {

  @Override
  public String type() {
    return "drop";
  }

  @Override
  public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
    return Outcome.DROPPED;
  }
}
