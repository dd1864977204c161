package io.flowsdk.mqtt.broker.impl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The index of retained topics: which topics a filter matches, and the totals the caps use. */
class RetainedIndexTest {

  private static RetainedIndex with(String... topics) {
    RetainedIndex index = new RetainedIndex();
    for (String t : topics) {
      index.put(t, 10);
    }
    return index;
  }

  private static List<String> match(RetainedIndex index, String filter) {
    return index.match(filter).stream().sorted().toList();
  }

  @Test
  void givenRetainedTopics_whenMatchedWithWildcards_thenExactlyTheSpecifiedTopicsMatch() {
    RetainedIndex index = with("a", "a/b", "a/b/c", "a/c", "a//b", "x/b", "/lead");
    assertEquals(List.of("a/b", "a/c"), match(index, "a/+"));
    assertEquals(List.of("a", "a//b", "a/b", "a/b/c", "a/c"), match(index, "a/#")); // "a/#" matches "a" (MQTT-4.7.1-2)
    assertEquals(List.of("a/b", "x/b"), match(index, "+/b"));
    assertEquals(List.of("a//b"), match(index, "a/+/b"));
    assertEquals(List.of("/lead"), match(index, "+/lead"));
    assertEquals(List.of("a/b/c"), match(index, "a/b/c"));
    assertEquals(List.of(), match(index, "a/b/c/d"));
    assertEquals(List.of("/lead", "a", "a//b", "a/b", "a/b/c", "a/c", "x/b"), match(index, "#"));
  }

  @Test
  void givenSysTopics_whenMatchedByWildcardsInTheFirstLevel_thenTheyDoNotMatchButExplicitFiltersDo() {
    RetainedIndex index = with("$SYS/broker/uptime", "$share-like/x", "plain/x");
    assertEquals(List.of("plain/x"), match(index, "#"));     // MQTT-4.7.2-1
    assertEquals(List.of("plain/x"), match(index, "+/x"));
    assertEquals(List.of("$SYS/broker/uptime"), match(index, "$SYS/#"));
    assertEquals(List.of("$SYS/broker/uptime"), match(index, "$SYS/+/uptime"));
  }

  @Test
  void givenPutsReplacementsAndRemovals_thenCountBytesAndSizesFollow() {
    RetainedIndex index = new RetainedIndex();
    index.put("a/b", 10);
    index.put("a/c", 5);
    index.put("a/b", 3); // replaced: counted once, with the new size
    assertEquals(2, index.count());
    assertEquals(8, index.bytes());
    assertEquals(3, index.sizeOf("a/b"));
    index.putIfAbsent("a/b", 100); // known: kept
    assertEquals(3, index.sizeOf("a/b"));
    index.remove("a/b");
    index.remove("a/b");
    index.remove("never/there");
    assertEquals(1, index.count());
    assertEquals(5, index.bytes());
    assertEquals(-1, index.sizeOf("a/b"));
    assertEquals(-1, index.sizeOf("a"));
    assertEquals(List.of("a/c"), match(index, "#"));
    index.remove("a/c");
    assertEquals(List.of(), match(index, "#"));
  }
}
