package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;
import java.util.function.DoubleSupplier;

/** Lets through every n-th message ({@code oneIn}, exact) or each message with a probability ({@code fraction}). */
final class SampleAction implements Action {

  private final long oneIn;
  private final double fraction;
  private final DoubleSupplier random;
  private long seen;

  private SampleAction(long oneIn, double fraction, DoubleSupplier random) {
    this.oneIn = oneIn;
    this.fraction = fraction;
    this.random = random;
  }

  static SampleAction parse(RuleJson json, DoubleSupplier random) {
    if (json.has("oneIn") == json.has("fraction")) {
      throw RuleJson.invalid(json.path, "needs exactly one of 'oneIn' (keep 1 in N) or 'fraction' (keep this share, 0..1)");
    }
    if (json.has("oneIn")) {
      return new SampleAction(json.wholeNumber("oneIn", 1, 1), 0, random);
    }
    double fraction = json.positiveNumber("fraction");
    if (fraction > 1) {
      throw RuleJson.invalid(json.at("fraction"), "must be above 0 and at most 1, not " + fraction);
    }
    return new SampleAction(0, fraction, random);
  }

  @Override
  public String type() {
    return "sample";
  }

  @Override
  public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
    boolean keep = oneIn > 0 ? seen++ % oneIn == 0 : random.getAsDouble() < fraction;
    return keep ? Outcome.PASSED : Outcome.SAMPLED_OUT;
  }
}
