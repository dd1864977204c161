package io.flowsdk.storage;

/**
 * When the embedded store forces its writes to disk (fsync). Under both policies a write's future
 * completes only after the fsync that covers it, so an acknowledged write survives {@code kill -9},
 * an OS crash and a power loss; what differs is the latency and the throughput.
 */
public enum SyncPolicy {
  /** One commit and fsync per write: the lowest latency at low load, a few hundred to a thousand writes/s on a disk. */
  EVERY_WRITE,
  /**
   * Writes are applied at once and committed together every {@code groupCommitMillis}: a write waits
   * up to that long for its fsync; one fsync covers every write of the interval. What a crash loses
   * is only writes whose futures had not completed.
   */
  GROUP_COMMIT
}
