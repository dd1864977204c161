package io.flowsdk.mqtt.broker.impl;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second on average, at most {@code burst} at once.
 * Starts full. Refilled lazily from {@code nanoClock} when a token is asked for: no timer.
 */
final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long ratePerSecond;
  private final long burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAt;

  TokenBucket(long ratePerSecond, long burst, LongSupplier nanoClock) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.refilledAt = nanoClock.getAsLong();
  }

  /** Takes a token; false when the bucket is empty. */
  boolean tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) * (double) ratePerSecond / NANOS_PER_SECOND);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
