package io.flowsdk.mqtt.testing;

/** A {@link ViolationCase} run against one server: what it did and whether that is what the specification requires. */
public record CaseResult(ViolationCase violation, Observation observed) {

  public boolean passed() {
    return violation.expected().matches(observed);
  }
}
