package io.flowsdk.util;

import java.util.function.DoubleSupplier;

/**
 * Retry delays: {@code initial * 2^(attempt-1)} capped at {@code max}, of which the fraction
 * {@code jitter} is random, so that many parties cut off together do not return together. Used by
 * the MQTT client's reconnect loop, the MQTT bridge's bus-publish retry, the flow bus's delivery retry
 * and the relays ({@link io.flowsdk.config.BackoffOptions}).
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final double jitter;
  private final DoubleSupplier random;

  /**
   * @param initialMillis the delay before the first retry (before jitter)
   * @param maxMillis     the cap of the delay (at least {@code initialMillis})
   * @param jitter        the random fraction of each delay, 0..1
   * @param random        uniform values in [0, 1)
   */
  public Backoff(long initialMillis, long maxMillis, double jitter, DoubleSupplier random) {
    this.initialMillis = initialMillis;
    this.maxMillis = Math.max(initialMillis, maxMillis);
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before attempt {@code attempt} (1-based). */
  public long delay(int attempt) {
    int shift = Math.min(attempt - 1, 40);
    double base = Math.min((double) maxMillis, initialMillis * Math.pow(2, shift));
    double fixed = base * (1 - jitter);
    return Math.round(fixed + random.getAsDouble() * base * jitter);
  }
}
