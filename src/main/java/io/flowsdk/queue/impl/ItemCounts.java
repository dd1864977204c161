package io.flowsdk.queue.impl;

import io.flowsdk.queue.QueueStats;

/** Sorts items into ready, delayed and in flight by their attempts and visibility, the same way for both backends. */
final class ItemCounts {

  private final long now;
  private long ready;
  private long delayed;
  private long inFlight;

  ItemCounts(long now) {
    this.now = now;
  }

  void add(int attempts, long visibleAt) {
    if (visibleAt <= now) {
      ready++;
    } else if (attempts == 0) {
      delayed++;
    } else {
      inFlight++;
    }
  }

  QueueStats stats(long deadLetters, int consumers) {
    return new QueueStats(ready, delayed, inFlight, deadLetters, consumers);
  }
}
