package io.flowsdk.mqtt.broker.impl;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static int takeAll(TokenBucket bucket) {
    int taken = 0;
    while (taken < 100 && bucket.tryTake()) {
      taken++;
    }
    return taken;
  }
}
