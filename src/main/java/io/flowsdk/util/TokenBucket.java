package io.flowsdk.util;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second on average, at most {@code burst} at once.
 * Starts full. Refilled lazily from {@code nanoClock} when tokens are asked for: no timer. Not
 * thread-safe: one bucket belongs to one connection on one event loop. Shared by the MQTT broker
 * (PUBLISH packets a second) and the MQTT proxy (PUBLISH packets and bytes a second).
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long ratePerSecond;
  private final long burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAt;

  public TokenBucket(long ratePerSecond, long burst, LongSupplier nanoClock) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.refilledAt = nanoClock.getAsLong();
  }

  /** Takes a token; false when the bucket is empty. */
  public boolean tryTake() {
    return tryTake(1);
  }

  /**
   * Takes {@code amount} tokens when at least one is there, false when the bucket is empty. The bucket
   * may go into debt by what it lacked, so that one amount larger than the burst (a big message against
   * a bytes-per-second bucket) passes when the bucket is full and the average rate still holds.
   */
  public boolean tryTake(long amount) {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) * (double) ratePerSecond / NANOS_PER_SECOND);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= amount;
    return true;
  }
}
