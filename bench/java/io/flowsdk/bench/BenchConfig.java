package io.flowsdk.bench;

/** Sizes of a benchmark run, from system properties so a quick run and a long run use the same code. */
public final class BenchConfig {

  /** Messages per measured run ({@code -Dbench.messages}, default 200000). */
  public final int messages = Integer.getInteger("bench.messages", 200_000);
  /** Messages per warm-up run ({@code -Dbench.warmup}, default 50000). */
  public final int warmup = Integer.getInteger("bench.warmup", 50_000);
  /** Payload bytes ({@code -Dbench.payload}, default 64). */
  public final int payloadBytes = Integer.getInteger("bench.payload", 64);
  /** Messages in flight between sender and receiver ({@code -Dbench.window}, default 1000). */
  public final int window = Integer.getInteger("bench.window", 1000);

  @Override
  public String toString() {
    return messages + " messages of " + payloadBytes + " bytes, window " + window + ", warm-up " + warmup;
  }
}
