package io.flowsdk.bench;

/** One measured row: who did which work, how fast, with what latency, at what CPU cost. */
public final class BenchResult {

  public final String group;
  public final String subject;
  public final boolean baseline;
  public final long messages;
  public final double seconds;
  public final double p50Micros;
  public final double p99Micros;
  /** CPU seconds used by the measured processes during the run, or a negative number when not measured. */
  public final double cpuSeconds;

  public BenchResult(String group, String subject, boolean baseline, long messages, double seconds,
                     double p50Micros, double p99Micros, double cpuSeconds) {
    this.group = group;
    this.subject = subject;
    this.baseline = baseline;
    this.messages = messages;
    this.seconds = seconds;
    this.p50Micros = p50Micros;
    this.p99Micros = p99Micros;
    this.cpuSeconds = cpuSeconds;
  }

  public double throughput() {
    return messages / seconds;
  }
}
