package io.flowsdk.topic;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicMatchingTest {

  /** The reference: MQTT 5 §4.7 read literally, level by level, with no cleverness. */
  static boolean referenceMatches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
      return false;
    }
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }

  @Provide
  Arbitrary<String> topics() {
    Arbitrary<String> level = Arbitraries.of("", "a", "b", "ab", "$SYS", "$x", "c d", "é");
    return level.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("/", l)).filter(t -> !t.isEmpty());
  }

  @Provide
  Arbitrary<String> filters() {
    Arbitrary<String> level = Arbitraries.of("", "a", "b", "ab", "$SYS", "+", "é");
    return level.list().ofMinSize(1).ofMaxSize(5)
      .flatMap(l -> Arbitraries.of(true, false).map(hash -> {
        List<String> levels = new ArrayList<>(l);
        if (hash) {
          levels.add("#");
        }
        return String.join("/", levels);
      }))
      .filter(f -> !f.isEmpty());
  }

  @Property(tries = 2000)
  void givenValidFilterAndTopic_whenMatched_thenSameAsReference(@ForAll("filters") String filter, @ForAll("topics") String topic) {
    assertTrue(Topics.isValidFilter(filter), filter);
    assertEquals(referenceMatches(filter, topic), Topics.matches(filter, topic), filter + " vs " + topic);
  }

  @Property(tries = 300)
  void givenManyFilters_whenTrieMatches_thenExactlyTheReferenceMatches(@ForAll("filterLists") List<String> filters,
                                                                       @ForAll("topics") String topic) {
    SubscriptionTrie<String> trie = new SubscriptionTrie<>();
    filters.forEach(f -> trie.add(f, f));
    Set<String> expected = new HashSet<>();
    for (String f : filters) {
      if (referenceMatches(f, topic)) {
        expected.add(f);
      }
    }
    assertEquals(expected, trie.match(topic));
  }

  @Property(tries = 200)
  void givenFiltersAddedThenSomeRemoved_whenMatched_thenOnlyRemainingMatch(@ForAll("filterLists") List<String> filters,
                                                                          @ForAll("topics") String topic) {
    SubscriptionTrie<String> trie = new SubscriptionTrie<>();
    filters.forEach(f -> trie.add(f, f));
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < filters.size(); i++) {
      String f = filters.get(i);
      if (i % 2 == 0) {
        trie.remove(f, f);
      } else if (referenceMatches(f, topic)) {
        expected.add(f);
      }
    }
    assertEquals(expected, trie.match(topic));
    assertEquals(filters.size() / 2, trie.size());
  }

  @Provide
  Arbitrary<List<String>> filterLists() {
    return filters().list().ofMaxSize(40).uniqueElements();
  }

  @Example
  void givenAllSubscriptionsRemoved_thenTrieIsEmpty() {
    SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
    trie.add("a/+/c", 1);
    trie.add("a/#", 2);
    assertTrue(trie.remove("a/+/c", 1));
    assertTrue(trie.remove("a/#", 2));
    assertFalse(trie.remove("a/#", 2));
    assertTrue(trie.isEmpty());
    assertTrue(trie.match("a/b/c").isEmpty());
  }

  @Example
  void givenSpecExamples_thenMatchAsSpecified() {
    assertTrue(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1"));
    assertTrue(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
    assertTrue(Topics.matches("sport/#", "sport"));
    assertTrue(Topics.matches("+/+", "/finance"));
    assertTrue(Topics.matches("/+", "/finance"));
    assertFalse(Topics.matches("+", "/finance"));
    assertFalse(Topics.matches("#", "$SYS/monitor"));
    assertTrue(Topics.matches("$SYS/#", "$SYS/monitor/Clients"));
    assertFalse(Topics.matches("+/monitor/Clients", "$SYS/monitor/Clients"));
    assertTrue(Topics.matches("sport/+/player1", "sport//player1"));
  }

  @Example
  void givenInvalidFilters_thenEachRejectedWithReason() {
    for (String bad : List.of("", "a/#/b", "a#", "a/b+", "+a", "#/", "$share/", "$share/g", "$share//a", "$share/g+/a", "$share/g/", "a\u0000b", "\uD800")) {
      FlowException e = assertThrows(FlowException.class, () -> Topics.validateFilter(bad), bad);
      assertEquals(FlowError.INVALID, e.error());
    }
    for (String good : List.of("#", "+", "a//b", "/", "+/+/#", "$share/g/a/#", "$share/g/+", "a/b c/d")) {
      assertNull(Topics.filterProblem(good), good);
    }
  }

  @Example
  void givenInvalidNames_thenRejected() {
    for (String bad : List.of("", "a/+", "#", "a\u0000", "x".repeat(70000))) {
      assertFalse(Topics.isValidName(bad), bad.length() > 20 ? "long" : bad);
    }
    assertTrue(Topics.isValidName("a//b/"));
    assertTrue(Topics.isValidName("é/ü"));
  }

  @Example
  void givenSharedFilter_whenParsed_thenGroupAndInnerFilter() {
    SharedFilter s = SharedFilter.parse("$share/consumers/orders/+/created");
    assertEquals("consumers", s.group());
    assertEquals("orders/+/created", s.filter());
  }
}
