package io.flowsdk.topic;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target: topic validation and the subscription trie. Validation accepts or rejects with
 * {@link FlowError#INVALID}, nothing else; for valid filters and a valid topic name the trie matches exactly the
 * filters a plain level-by-level reference matcher does (MQTT 3.1.1 / 5.0 section 4.7), after adds and removes.
 */
class TopicFuzzTest {

  @FuzzTest
  void givenAnyFiltersAndTopic_whenValidatedAndMatched_thenTheTrieAgreesWithTheReference(FuzzedDataProvider data) {
    SubscriptionTrie<String> trie = new SubscriptionTrie<>();
    Set<String> added = new HashSet<>();
    int filters = data.consumeInt(0, 8);
    for (int i = 0; i < filters; i++) {
      String filter = data.consumeString(24);
      if (valid(filter, true) && !SharedFilter.isShared(filter)) {
        if (data.consumeBoolean() || !added.contains(filter)) {
          trie.add(filter, filter);
          added.add(filter);
        } else {
          trie.remove(filter, filter);
          added.remove(filter);
        }
      }
    }
    String topic = data.consumeRemainingAsString();
    if (!valid(topic, false)) {
      return;
    }
    Set<String> expected = new HashSet<>();
    for (String f : added) {
      if (referenceMatches(f, topic)) {
        expected.add(f);
      }
    }

    assertEquals(expected, trie.match(topic), () -> "topic '" + topic + "'");
    for (String f : added) {
      assertEquals(expected.contains(f), Topics.matches(f, topic), () -> "Topics.matches('" + f + "', '" + topic + "')");
    }
  }

  private static boolean valid(String s, boolean filter) {
    try {
      if (filter) {
        Topics.validateFilter(s);
      } else {
        Topics.validateName(s);
      }
      return true;
    } catch (FlowException e) {
      assertEquals(FlowError.INVALID, e.error());
      return false;
    }
  }

  /** The rules of section 4.7, one level at a time, with no shortcuts. */
  static boolean referenceMatches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    List<String> f = levels(filter);
    List<String> t = levels(topic);
    for (int i = 0; i < f.size(); i++) {
      if (f.get(i).equals("#")) {
        return true;
      }
      if (i >= t.size() || !f.get(i).equals("+") && !f.get(i).equals(t.get(i))) {
        return false;
      }
    }
    return f.size() == t.size();
  }

  private static List<String> levels(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '/') {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }
}
