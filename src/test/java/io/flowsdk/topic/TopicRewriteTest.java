package io.flowsdk.topic;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicRewriteTest {

  @Test
  void givenPrefixMapping_whenApplied_thenTheLiteralPrefixIsSwapped() {
    TopicRewrite r = TopicRewrite.of("site1/#", "plant/site1/#", "test");
    assertEquals("plant/site1/line4/temp", r.apply("site1/line4/temp"));
    assertEquals("plant/site1", r.apply("site1"));             // '#' also matches the parent level
    assertEquals("plant/site1//x", r.apply("site1//x"));        // empty levels are kept
  }

  @Test
  void givenSingleLevelWildcardsInside_whenApplied_thenTheTailIsKept() {
    TopicRewrite r = TopicRewrite.of("a/+/temp", "b/c/+/temp", "test");
    assertEquals("b/c/7/temp", r.apply("a/7/temp"));
  }

  @Test
  void givenExactTopics_whenApplied_thenOneTopicMapsToTheOther() {
    assertEquals("x/y", TopicRewrite.of("a/b", "x/y", "test").apply("a/b"));
  }

  @Test
  void givenPrefixAddedOrRemoved_whenApplied_thenTopicsMoveIntoOrOutOfIt() {
    assertEquals("mqtt/a/b", TopicRewrite.of("#", "mqtt/#", "test").apply("a/b"));
    TopicRewrite strip = TopicRewrite.of("plant/#", "#", "test");
    assertEquals("a/b", strip.apply("plant/a/b"));
    assertNull(strip.apply("plant"));                           // nothing left: no valid topic name
  }

  @Test
  void givenSharedSource_thenItIsSubscribedAsIsAndMatchedWithoutThePrefix() {
    TopicRewrite r = TopicRewrite.of("$share/g/site1/#", "plant/#", "test");
    assertEquals("$share/g/site1/#", r.subscribeFilter());
    assertEquals("site1/#", r.matchFilter());
    assertEquals("plant/x", r.apply("site1/x"));
  }

  @Test
  void givenDifferentWildcardTailsOrASharedTarget_thenTheMappingIsInvalid() {
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> TopicRewrite.of("a/#", "b/+", "m")).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> TopicRewrite.of("a/+/c", "b/+/d", "m")).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> TopicRewrite.of("a/#", "$share/g/b/#", "m")).error());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> TopicRewrite.of("a/#/b", "b/#", "m")).error());
  }

  /** Every topic the source matches maps to a topic the target matches, and mapping back gives it again. */
  @Property(tries = 300)
  void givenAnyMatchingTopic_thenTheRewriteIsMatchedByTheTargetAndReversible(
    @ForAll @IntRange(min = 0, max = 3) int sourceLevels, @ForAll @IntRange(min = 0, max = 3) int targetLevels,
    @ForAll @IntRange(min = 0, max = 4) int extraLevels, @ForAll @StringLength(min = 1, max = 3) String word) {
    String level = word.replaceAll("[^a-z]", "q");
    String source = prefix("s", sourceLevels) + "#";
    String target = prefix("t", targetLevels) + "#";
    List<String> topicLevels = new ArrayList<>();
    for (int i = 0; i < sourceLevels; i++) {
      topicLevels.add("s" + i);
    }
    for (int i = 0; i < extraLevels; i++) {
      topicLevels.add(level + i);
    }
    if (topicLevels.isEmpty()) {
      return;
    }
    String topic = String.join("/", topicLevels);
    String mapped = TopicRewrite.of(source, target, "p").apply(topic);
    if (mapped == null) {
      assertTrue(targetLevels == 0 && extraLevels == 0);
      return;
    }
    assertTrue(Topics.matches(target, mapped), target + " must match " + mapped);
    assertEquals(topic, TopicRewrite.of(target, source, "p").apply(mapped));
  }

  private static String prefix(String name, int levels) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      sb.append(name).append(i).append('/');
    }
    return sb.toString();
  }
}
