package io.flowsdk.topic;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.util.Arrays;
import java.util.List;

/**
 * Rewrites topics matched by one filter into the topic space of another by swapping their literal
 * prefixes (the levels before the first wildcard): {@code site1/#} → {@code plant/site1/#} maps
 * {@code site1/a/b} to {@code plant/site1/a/b}. Both filters must end in the same wildcard levels, so
 * every topic the source filter matches maps to a topic the target filter matches. The source may be
 * a shared subscription ({@code $share/group/filter}); the target may not.
 */
public final class TopicRewrite {

  private final String subscribeFilter;
  private final String matchFilter;
  private final int sourcePrefixLevels;
  private final String targetPrefix;

  private TopicRewrite(String subscribeFilter, String matchFilter, int sourcePrefixLevels, String targetPrefix) {
    this.subscribeFilter = subscribeFilter;
    this.matchFilter = matchFilter;
    this.sourcePrefixLevels = sourcePrefixLevels;
    this.targetPrefix = targetPrefix;
  }

  /**
   * The rewrite from {@code source} to {@code target}; fails with {@link FlowError#INVALID} naming
   * {@code what} when a filter is invalid, the target is shared, or their wildcard levels differ.
   */
  public static TopicRewrite of(String source, String target, String what) {
    try {
      Topics.validateFilter(source);
      Topics.validateFilter(target);
    } catch (FlowException e) {
      throw new FlowException(FlowError.INVALID, what + ": " + e.getMessage());
    }
    if (SharedFilter.isShared(target)) {
      throw new FlowException(FlowError.INVALID, what + ": the target '" + target + "' cannot be a shared subscription");
    }
    String match = SharedFilter.matchFilter(source);
    List<String> from = levels(match);
    List<String> to = levels(target);
    int fromPrefix = literalPrefix(from);
    int toPrefix = literalPrefix(to);
    List<String> fromTail = from.subList(fromPrefix, from.size());
    List<String> toTail = to.subList(toPrefix, to.size());
    if (!fromTail.equals(toTail)) {
      throw new FlowException(FlowError.INVALID, what + ": '" + match + "' and '" + target
        + "' must end in the same wildcard levels ('" + String.join("/", fromTail) + "' vs '" + String.join("/", toTail) + "')");
    }
    return new TopicRewrite(source, match, fromPrefix, String.join("/", to.subList(0, toPrefix)));
  }

  /** The filter to subscribe to, as configured (with its {@code $share/group/} prefix). */
  public String subscribeFilter() {
    return subscribeFilter;
  }

  /** The filter topics are matched against (without a {@code $share/group/} prefix). */
  public String matchFilter() {
    return matchFilter;
  }

  /** Whether {@code topic} is one this rewrite applies to. */
  public boolean matches(String topic) {
    return Topics.matches(matchFilter, topic);
  }

  /**
   * The rewritten form of {@code topic}, a topic the source filter matches; null when the result
   * is not a valid topic name (stripping the whole topic away, for example {@code plant} through
   * {@code plant/#} → {@code #}).
   */
  public String apply(String topic) {
    int start = 0;
    for (int i = 0; i < sourcePrefixLevels; i++) {
      int slash = topic.indexOf('/', start);
      start = slash < 0 ? topic.length() + 1 : slash + 1;
    }
    String rest = start > topic.length() ? null : topic.substring(start);
    String result;
    if (rest == null) {
      result = targetPrefix;
    } else if (targetPrefix.isEmpty()) {
      result = rest;
    } else {
      result = targetPrefix + "/" + rest;
    }
    return Topics.isValidName(result) ? result : null;
  }

  private static List<String> levels(String filter) {
    return Arrays.asList(filter.split("/", -1));
  }

  private static int literalPrefix(List<String> levels) {
    int n = 0;
    while (n < levels.size() && !levels.get(n).equals("+") && !levels.get(n).equals("#")) {
      n++;
    }
    return n;
  }

  @Override
  public String toString() {
    return "rewrite of '" + subscribeFilter + "' to prefix '" + targetPrefix + "'";
  }
}
