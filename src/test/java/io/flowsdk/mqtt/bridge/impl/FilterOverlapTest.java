package io.flowsdk.mqtt.bridge.impl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FilterOverlapTest {

  @ParameterizedTest(name = "{0} and {1} overlap: {2}")
  @CsvSource({
    "a/b, a/b, true",
    "a/b, a/c, false",
    "a/+, a/b, true",
    "+/b, a/+, true",
    "a/#, a, true",
    "a, a/#, true",
    "a/#, b/#, false",
    "#, anything/at/all, true",
    "a/+/c, a/b, false",
    "a/+, a/b/c, false",
    "a/+/#, a/b, true",
    "#, $SYS/x, false",
    "+/x, $SYS/x, false",
    "$SYS/#, $SYS/x, true",
    "site1/#, site1/x/#, true",
  })
  void givenTwoFilters_thenOverlapIsWhetherOneTopicMatchesBoth(String a, String b, boolean expected) {
    assertEquals(expected, FilterOverlap.overlap(a, b));
    assertEquals(expected, FilterOverlap.overlap(b, a));
  }
}
