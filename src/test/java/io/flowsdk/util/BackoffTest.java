package io.flowsdk.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  @Test
  void givenNoJitter_whenAttemptsGrow_thenDelaysDoubleUpToTheMaximum() {
    Backoff b = new Backoff(100, 1_000, 0, () -> 0.5);

    assertEquals(100, b.delay(1));
    assertEquals(200, b.delay(2));
    assertEquals(800, b.delay(4));
    assertEquals(1_000, b.delay(5));
    assertEquals(1_000, b.delay(500));
  }

  @Test
  void givenHalfJitter_whenRandomIsAtItsBounds_thenDelayStaysWithinHalfToFullOfTheBase() {
    assertEquals(200, new Backoff(100, 10_000, 0.5, () -> 0.0).delay(3));
    assertEquals(400, new Backoff(100, 10_000, 0.5, () -> 1.0).delay(3));
    long d = new Backoff(100, 10_000, 0.5, () -> 0.3).delay(3);
    assertTrue(d > 200 && d < 400);
  }
}
