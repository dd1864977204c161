package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each action and condition, fed directly with a clock the test moves. */
class FilterEngineTest {

  private static final FlowOrigin ORIGIN = new FlowOrigin("node-1", "filter", "f");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private double nextRandom = 0.0;

  private FilterEngine engine(String rulesJson) {
    return FilterEngine.create("f", new JsonArray(rulesJson), ORIGIN, registry, nanos::get, () -> nextRandom);
  }

  private static FlowMessage msg(String topic, String payload, String... headers) {
    FlowMessage.Builder b = FlowMessage.builder(topic).payload(payload);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  /** Applies through the subscription of the first rule's filter, as the verticle's canonical delivery does. */
  private static List<String> topics(FilterEngine engine, FlowMessage m) {
    return engine.apply(m, engine.filters().get(0)).stream().map(FlowMessage::topic).collect(Collectors.toList());
  }

  private double count(String rule, String action, String result) {
    var c = registry.find("flowsdk_filter_actions_total").tags("filter", "f", "rule", rule, "action", action, "result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void givenForwardWithLevels_whenMessageMatches_thenItIsPublishedToTheRewrittenTopicWithItsPayloadAndOrigin() {
    FilterEngine e = engine("[{\"name\":\"alerts\",\"topic\":\"site/+/temp\",\"actions\":[{\"type\":\"forward\",\"topic\":\"alerts/{1}/{2}\"}]}]");
    List<FlowMessage> out = e.apply(msg("site/7/temp", "31"), "site/+/temp");
    assertEquals(1, out.size());
    assertEquals("alerts/7/temp", out.get(0).topic());
    assertEquals("31", out.get(0).payload().toString());
    assertEquals(ORIGIN, out.get(0).origin());
    assertEquals(List.of(), topics(e, msg("site/7/humidity", "31")));
    assertEquals(1.0, count("alerts", "forward", "forwarded"));
  }

  @Test
  void givenAForwardedMessageOfThisFilter_whenItComesBack_thenNoRuleRunsSoRulesCannotLoop() {
    FilterEngine e = engine("[{\"name\":\"loop\",\"topic\":\"a/#\",\"actions\":[{\"type\":\"forward\",\"topic\":\"a/again\"}]}]");
    FlowMessage forwarded = e.apply(msg("a/1", "x"), "a/#").get(0);
    FlowMessage fromAnotherNode = forwarded.toBuilder().origin(new FlowOrigin("node-2", "filter", "f")).build();
    assertEquals(List.of(), topics(e, forwarded));
    assertEquals(List.of(), topics(e, fromAnotherNode));
  }

  @Test
  void givenOverlappingRuleFilters_whenAMessageMatchesBoth_thenOnlyTheDeliveryThroughTheFirstRulesFilterRunsThemEachOnce() {
    FilterEngine e = engine("[{\"name\":\"one\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"x/one\"}]},"
      + "{\"name\":\"two\",\"topic\":\"a/#\",\"actions\":[{\"type\":\"forward\",\"topic\":\"x/two\"}]}]");
    assertEquals(List.of("a/+", "a/#"), e.filters());
    assertEquals(List.of("x/one", "x/two"), e.apply(msg("a/b", ""), "a/+").stream().map(FlowMessage::topic).collect(Collectors.toList()));
    assertEquals(List.of(), e.apply(msg("a/b", ""), "a/#"));
    assertEquals(List.of("x/two"), e.apply(msg("a/b/c", ""), "a/#").stream().map(FlowMessage::topic).collect(Collectors.toList()));
  }

  @Test
  void givenConditionsOnFieldsAndHeaders_thenOnlyMatchingMessagesAreForwarded() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"when\":{\"all\":["
      + "{\"field\":\"reading.temp\",\"op\":\"gt\",\"value\":30},"
      + "{\"any\":[{\"header\":\"unit\",\"op\":\"in\",\"value\":[\"c\",\"celsius\"]},{\"not\":{\"header\":\"unit\",\"op\":\"exists\"}}]},"
      + "{\"field\":\"id\",\"op\":\"regex\",\"value\":\"dev-[0-9]+\"},"
      + "{\"field\":\"tags.0\",\"op\":\"ne\",\"value\":\"test\"}"
      + "]},\"actions\":[{\"type\":\"forward\",\"topic\":\"hot\"}]}]");
    assertEquals(List.of("hot"), topics(e, msg("t", "{\"reading\":{\"temp\":31.5},\"id\":\"dev-12\",\"tags\":[\"prod\"]}", "unit", "celsius")));
    assertEquals(List.of("hot"), topics(e, msg("t", "{\"reading\":{\"temp\":31},\"id\":\"dev-1\",\"tags\":[]}")));
    assertEquals(List.of(), topics(e, msg("t", "{\"reading\":{\"temp\":30},\"id\":\"dev-1\"}")), "30 is not above 30");
    assertEquals(List.of(), topics(e, msg("t", "{\"reading\":{\"temp\":31},\"id\":\"dev-1\"}", "unit", "f")), "unit not in the list");
    assertEquals(List.of(), topics(e, msg("t", "{\"reading\":{\"temp\":31},\"id\":\"xdev-1\"}")), "regex matches the whole value");
    assertEquals(List.of(), topics(e, msg("t", "{\"reading\":{\"temp\":31},\"id\":\"dev-1\",\"tags\":[\"test\"]}")));
    assertEquals(List.of(), topics(e, msg("t", "not json")), "a field of a non-JSON payload is absent");
    assertEquals(2.0, registry.find("flowsdk_filter_matched_total").tags("filter", "f", "rule", "r").counter().count());
  }

  @Test
  void givenANumericHeader_whenComparedWithANumber_thenItComparesAsANumber() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"when\":{\"header\":\"n\",\"op\":\"ge\",\"value\":10},\"actions\":[{\"type\":\"forward\",\"topic\":\"big\"}]}]");
    assertEquals(List.of("big"), topics(e, msg("t", "", "n", "10")));
    assertEquals(List.of(), topics(e, msg("t", "", "n", "9")), "9 < 10 although '9' > '10' as text");
    assertEquals(List.of(), topics(e, msg("t", "", "n", "ten")));
  }

  @Test
  void givenDropAfterAForward_thenTheForwardHappenedAndLaterRulesStillRun() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t/#\",\"actions\":[{\"type\":\"forward\",\"topic\":\"copy\"},{\"type\":\"drop\"}]},"
      + "{\"name\":\"s\",\"topic\":\"t/#\",\"when\":{\"field\":\"keep\",\"op\":\"eq\",\"value\":true},\"actions\":[{\"type\":\"drop\"}]}]");
    assertEquals(List.of("copy"), topics(e, msg("t/1", "{\"keep\":true}")));
    assertEquals(1.0, count("r", "drop", "dropped"));
    assertEquals(1.0, count("s", "drop", "dropped"));
  }

  @Test
  void givenSampleOneInN_thenExactlyEveryNthMessagePasses() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":[{\"type\":\"sample\",\"oneIn\":4},{\"type\":\"forward\",\"topic\":\"s\"}]}]");
    List<Integer> passed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      if (!topics(e, msg("t", "")).isEmpty()) {
        passed.add(i);
      }
    }
    assertEquals(List.of(0, 4, 8), passed);
    assertEquals(9.0, count("r", "sample", "sampled_out"));
    assertEquals(3.0, count("r", "sample", "passed"));
  }

  @Test
  void givenSampleFraction_thenAMessagePassesWhenTheRandomDrawIsBelowIt() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":[{\"type\":\"sample\",\"fraction\":0.25},{\"type\":\"forward\",\"topic\":\"s\"}]}]");
    nextRandom = 0.2499;
    assertEquals(List.of("s"), topics(e, msg("t", "")));
    nextRandom = 0.25;
    assertEquals(List.of(), topics(e, msg("t", "")));
  }

  @Test
  void givenRateLimit_whenOfferedTenTimesTheRate_thenThePassedRateIsWithinFivePercentOfTheLimit() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t/+\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":100,\"burst\":10},{\"type\":\"forward\",\"topic\":\"out\"}]}]");
    int passed = 0;
    for (int i = 0; i < 20_000; i++) { // 1,000 messages/s for 20 s, alternating topics: one bucket for the rule
      nanos.addAndGet(1_000_000);
      passed += topics(e, msg("t/" + (i % 2), "")).size();
    }
    double rate = passed / 20.0;
    assertTrue(Math.abs(rate - 100) <= 5, "passed " + rate + "/s, limit 100/s");
    assertEquals(passed, (int) count("r", "rateLimit", "passed"));
    assertEquals(20_000 - passed, (int) count("r", "rateLimit", "rate_limited"));
  }

  @Test
  void givenRateLimitPerKey_thenEachKeyHasItsOwnBucket() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":1,\"burst\":2,\"key\":\"header:device\"},{\"type\":\"forward\",\"topic\":\"out\"}]}]");
    int a = 0;
    int b = 0;
    for (int i = 0; i < 5; i++) {
      a += topics(e, msg("t", "", "device", "a")).size();
      b += topics(e, msg("t", "", "device", "b")).size();
    }
    assertEquals(2, a);
    assertEquals(2, b);
    nanos.addAndGet(1_000_000_000L);
    assertEquals(List.of("out"), topics(e, msg("t", "", "device", "a")), "one token back after one second");
    assertEquals(List.of(), topics(e, msg("t", "", "device", "a")));
  }

  @Test
  void givenDedupe_thenARepeatedKeyIsStoppedWithinTheWindowAndPassesAfterIt() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":[{\"type\":\"dedupe\",\"key\":\"field:id\",\"windowMillis\":1000},{\"type\":\"forward\",\"topic\":\"out\"}]}]");
    assertEquals(List.of("out"), topics(e, msg("t", "{\"id\":1}")));
    assertEquals(List.of("out"), topics(e, msg("t", "{\"id\":2}")));
    nanos.addAndGet(999_000_000L);
    assertEquals(List.of(), topics(e, msg("t", "{\"id\":1}")));
    nanos.addAndGet(1_000_000L);
    assertEquals(List.of("out"), topics(e, msg("t", "{\"id\":1}")), "the window counts from the first sighting");
    assertEquals(List.of("out"), topics(e, msg("t", "{}")), "no key: passes");
    assertEquals(List.of("out"), topics(e, msg("t", "{}")));
    assertEquals(1.0, count("r", "dedupe", "duplicate"));
  }

  @Test
  void givenDedupeWithMaxKeys_thenTheOldestKeyIsForgottenFirst() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":[{\"type\":\"dedupe\",\"key\":\"header:id\",\"maxKeys\":2},{\"type\":\"forward\",\"topic\":\"out\"}]}]");
    topics(e, msg("t", "", "id", "1"));
    topics(e, msg("t", "", "id", "2"));
    topics(e, msg("t", "", "id", "3"));
    assertEquals(List.of(), topics(e, msg("t", "", "id", "3")));
    assertEquals(List.of("out"), topics(e, msg("t", "", "id", "1")), "key 1 was forgotten at the bound");
  }

  @Test
  void givenHeaderActions_thenTheForwardCarriesTheEditedHeaders() {
    FilterEngine e = engine("[{\"name\":\"r\",\"topic\":\"t\",\"actions\":["
      + "{\"type\":\"setHeaders\",\"headers\":{\"route\":\"filtered\",\"unit\":\"c\"}},"
      + "{\"type\":\"removeHeaders\",\"names\":[\"secret\"]},"
      + "{\"type\":\"forward\",\"topic\":\"out\"}]}]");
    FlowMessage out = e.apply(msg("t", "", "unit", "celsius", "secret", "s", "keep", "k", "unit", "kelvin"), "t").get(0);
    assertEquals(List.of(new FlowHeader("keep", "k"), new FlowHeader("route", "filtered"), new FlowHeader("unit", "c")), out.headers());
  }

  @Test
  void givenConditionOnAHeaderSetByAnEarlierRule_thenEachRuleSeesTheMessageAsPublished() {
    FilterEngine e = engine("[{\"name\":\"a\",\"topic\":\"t\",\"actions\":[{\"type\":\"setHeaders\",\"headers\":{\"x\":\"1\"}},{\"type\":\"forward\",\"topic\":\"a\"}]},"
      + "{\"name\":\"b\",\"topic\":\"t\",\"when\":{\"header\":\"x\",\"op\":\"exists\"},\"actions\":[{\"type\":\"forward\",\"topic\":\"b\"}]}]");
    assertEquals(List.of("a"), topics(e, msg("t", "")));
  }
}
