package io.flowsdk.topic;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.nio.charset.StandardCharsets;

/**
 * MQTT topic rules (MQTT 5.0 §4.7, identical in 3.1.1): names are what messages are published to,
 * filters are what subscriptions match with {@code +} (one level) and {@code #} (all remaining
 * levels). Empty levels are allowed; a filter starting with a wildcard does not match a topic
 * starting with {@code $}.
 */
public final class Topics {

  /** Longest topic in UTF-8 bytes: MQTT encodes the length in two bytes. */
  public static final int MAX_TOPIC_BYTES = 65535;

  private Topics() {
  }

  /** Throws {@link FlowError#INVALID} with the reason unless {@code topic} is a valid topic name. */
  public static void validateName(String topic) {
    String problem = nameProblem(topic);
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, problem);
    }
  }

  /** Throws {@link FlowError#INVALID} with the reason unless {@code filter} is a valid topic filter. */
  public static void validateFilter(String filter) {
    String problem = filterProblem(filter);
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, problem);
    }
  }

  public static boolean isValidName(String topic) {
    return nameProblem(topic) == null;
  }

  public static boolean isValidFilter(String filter) {
    return filterProblem(filter) == null;
  }

  /** Why {@code topic} is not a valid topic name, or null when it is. */
  public static String nameProblem(String topic) {
    String problem = commonProblem(topic, "topic name");
    if (problem != null) {
      return problem;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#') {
        return "topic name '" + topic + "' must not contain the wildcard '" + c + "'";
      }
    }
    return null;
  }

  /**
   * Why {@code filter} is not a valid topic filter, or null when it is. A shared subscription
   * ({@code $share/group/filter}) is valid when its group and inner filter are.
   */
  public static String filterProblem(String filter) {
    String problem = commonProblem(filter, "topic filter");
    if (problem != null) {
      return problem;
    }
    if (SharedFilter.isShared(filter)) {
      return SharedFilter.problem(filter);
    }
    return wildcardProblem(filter);
  }

  static String wildcardProblem(String filter) {
    int n = filter.length();
    for (int i = 0; i < n; i++) {
      char c = filter.charAt(i);
      boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
      boolean levelEnd = i == n - 1 || filter.charAt(i + 1) == '/';
      if (c == '+' && !(levelStart && levelEnd)) {
        return "'+' must fill a whole level in topic filter '" + filter + "'";
      }
      if (c == '#' && !(levelStart && i == n - 1)) {
        return "'#' must be the last level of topic filter '" + filter + "'";
      }
    }
    return null;
  }

  private static String commonProblem(String s, String what) {
    if (s == null || s.isEmpty()) {
      return what + " must not be empty";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return what + " must not contain U+0000";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return what + " is not valid UTF-8 (unpaired surrogate at index " + i + ")";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return what + " is not valid UTF-8 (unpaired surrogate at index " + i + ")";
      }
    }
    if (s.length() > MAX_TOPIC_BYTES / 3 && s.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
      return what + " is longer than " + MAX_TOPIC_BYTES + " UTF-8 bytes";
    }
    return null;
  }

  /** True when {@code filter} (not shared) contains a wildcard. */
  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /**
   * Whether a valid, non-shared {@code filter} matches a valid topic name. One comparison; to match
   * a topic against many filters use {@link SubscriptionTrie}.
   */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    int fn = filter.length();
    int tn = topic.length();
    while (true) {
      int fEnd = filter.indexOf('/', f);
      if (fEnd < 0) {
        fEnd = fn;
      }
      String level = filter.substring(f, fEnd);
      if (level.equals("#")) {
        return true;
      }
      int tEnd = topic.indexOf('/', t);
      if (tEnd < 0) {
        tEnd = tn;
      }
      boolean levelMatches = level.equals("+") || level.length() == tEnd - t && topic.startsWith(level, t);
      if (!levelMatches) {
        return false;
      }
      boolean filterDone = fEnd == fn;
      boolean topicDone = tEnd == tn;
      if (filterDone && topicDone) {
        return true;
      }
      if (filterDone) {
        return false;
      }
      if (topicDone) {
        // "a/#" matches "a": the only thing that may follow is a final "#"
        return filter.substring(fEnd + 1).equals("#");
      }
      f = fEnd + 1;
      t = tEnd + 1;
    }
  }

  /**
   * Whether every topic name that the valid, non-shared filter {@code inner} matches is also matched
   * by {@code outer}: {@code a/#} covers {@code a/+/b} and {@code a}, {@code +/b} covers {@code x/b}
   * but not {@code x/#}, and a filter starting with a wildcard covers no filter starting with
   * {@code $}.
   */
  public static boolean covers(String outer, String inner) {
    boolean outerWild = outer.startsWith("+") || outer.startsWith("#");
    if (outerWild && inner.startsWith("$")) {
      return false;
    }
    String[] o = outer.split("/", -1);
    String[] in = inner.split("/", -1);
    for (int i = 0; i < o.length; i++) {
      if (o[i].equals("#")) {
        return true; // covers the rest, and the parent level "a" of "a/#" too
      }
      if (i >= in.length) {
        return false;
      }
      if (in[i].equals("#")) {
        return false;
      }
      if (!o[i].equals("+") && !o[i].equals(in[i])) {
        return false;
      }
    }
    return o.length == in.length;
  }
}
