package io.flowsdk.mqtt.bridge.impl;

/**
 * Whether two topic filters (not shared) can match a common topic. The bridge uses it where MQTT's
 * No Local cannot stop the broker from sending the bridge's own publishes back to it (MQTT 3.1.1,
 * shared subscriptions).
 */
public final class FilterOverlap {

  private FilterOverlap() {
  }

  /** True when some topic name matches both {@code a} and {@code b}. */
  public static boolean overlap(String a, String b) {
    // a filter starting with a wildcard matches no topic starting with '$'
    if (startsWithWildcard(a) && b.startsWith("$") || startsWithWildcard(b) && a.startsWith("$")) {
      return false;
    }
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    int i = 0;
    while (i < x.length && i < y.length) {
      if (x[i].equals("#") || y[i].equals("#")) {
        return true;
      }
      if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
        return false;
      }
      i++;
    }
    if (x.length == y.length) {
      return true;
    }
    // "a/#" also matches "a": the longer filter may only continue with a final '#'
    String[] longer = x.length > y.length ? x : y;
    return longer.length == i + 1 && longer[i].equals("#");
  }

  private static boolean startsWithWildcard(String filter) {
    return filter.startsWith("+") || filter.startsWith("#");
  }
}
