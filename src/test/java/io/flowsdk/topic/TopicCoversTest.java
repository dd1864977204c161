package io.flowsdk.topic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicCoversTest {

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
    "a/#, a/#, true", "a/#, a, true", "a/#, a/+/b, true", "a/#, a/b/#, true", "#, a/+/#, true",
    "a/+, a/b, true", "a/+, a/+, true", "+/b, x/b, true", "a/b, a/b, true",
    "a/+, a/#, false", "a/+, a/b/c, false", "a/b, a/+, false", "a/b, a/b/c, false", "a/b/c, a/b, false",
    "+/b, x/#, false", "a/#, b/#, false", "#, $SYS/#, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/broker/+, true"})
  void givenTwoFilters_thenOuterCoversInnerExactlyWhenEveryTopicInnerMatchesOuterMatchesToo(String outer, String inner,
    boolean expected) {
    assertEquals(expected, Topics.covers(outer, inner));
  }
}
