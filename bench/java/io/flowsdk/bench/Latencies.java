package io.flowsdk.bench;

import java.util.Arrays;

/** Recorded latencies of one run, in nanoseconds, and their percentiles. */
public final class Latencies {

  private final long[] nanos;
  private int count;

  public Latencies(int capacity) {
    nanos = new long[capacity];
  }

  public void record(long latencyNanos) {
    if (count < nanos.length) {
      nanos[count++] = latencyNanos;
    }
  }

  public int count() {
    return count;
  }

  /** The {@code p}-th percentile (0..100) in microseconds. */
  public double percentileMicros(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
