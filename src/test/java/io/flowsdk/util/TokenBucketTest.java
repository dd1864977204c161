package io.flowsdk.util;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

  @Test
  void givenRate10Burst3_whenTakenAtOnceThenAfter100msThenAfterTenSeconds_thenThreeThenOneThenThreeAgain() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    TokenBucket bucket = new TokenBucket(10, 3, now::get);
    assertEquals(3, takeAll(bucket));
    now.addAndGet(100_000_000L);
    assertEquals(1, takeAll(bucket));
    now.addAndGet(10_000_000_000L);
    assertEquals(3, takeAll(bucket), "never more than the burst");
  }

  @Test
  void givenRate1000Burst1000_whenOneAmountOf3000IsTaken_thenItPassesOnceAndTheDebtIsPaidBeforeTheNext() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket bucket = new TokenBucket(1000, 1000, now::get);
    assertTrue(bucket.tryTake(3000), "a full bucket lets one amount larger than its burst pass");
    assertFalse(bucket.tryTake(1));
    now.addAndGet(1_500_000_000L);
    assertFalse(bucket.tryTake(1), "3,000 taken from 1,000, then 1.5 s of refill: still 500 in debt");
    now.addAndGet(600_000_000L);
    assertTrue(bucket.tryTake(1));
  }

  private static int takeAll(TokenBucket bucket) {
    int taken = 0;
    while (taken < 100 && bucket.tryTake()) {
      taken++;
    }
    return taken;
  }
}
