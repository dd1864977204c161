package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.List;

/**
 * A token bucket per key: {@code burst} tokens, refilled at {@code perSecond}; a message takes one
 * token or is stopped. Messages without the key share the bucket of the empty key.
 */
final class RateLimitAction implements Action {

  static final int DEFAULT_MAX_KEYS = 10_000;

  private final double perNano;
  private final double burst;
  private final ValueSource key;
  private final BoundedKeys<Bucket> buckets;

  private RateLimitAction(double perSecond, double burst, ValueSource key, int maxKeys) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.key = key;
    this.buckets = new BoundedKeys<>(maxKeys, true);
  }

  static RateLimitAction parse(RuleJson json) {
    double perSecond = json.positiveNumber("perSecond");
    long burst = json.wholeNumber("burst", Math.max(1, (long) Math.ceil(perSecond)), 1);
    String keySpec = json.has("key") ? json.requiredString("key") : "rule";
    ValueSource key = ValueSource.key(keySpec, json.at("key"), true);
    int maxKeys = (int) Math.min(Integer.MAX_VALUE, json.wholeNumber("maxKeys", DEFAULT_MAX_KEYS, 1));
    return new RateLimitAction(perSecond, burst, key, maxKeys);
  }

  @Override
  public String type() {
    return "rateLimit";
  }

  @Override
  public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
    Object k = key.value(candidate);
    Bucket bucket = buckets.computeIfAbsent(k == null ? "" : String.valueOf(k), s -> new Bucket(burst, nowNanos));
    bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.refilledAt) * perNano);
    bucket.refilledAt = nowNanos;
    if (bucket.tokens < 1) {
      return Outcome.RATE_LIMITED;
    }
    bucket.tokens -= 1;
    return Outcome.PASSED;
  }

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }
}
