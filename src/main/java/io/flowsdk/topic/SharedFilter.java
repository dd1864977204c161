package io.flowsdk.topic;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.util.Objects;

/**
 * A shared subscription filter, {@code $share/group/filter}: each matching message goes to one
 * member of the group, wherever in the cluster the members are.
 */
public final class SharedFilter {

  public static final String PREFIX = "$share/";

  private final String group;
  private final String filter;

  private SharedFilter(String group, String filter) {
    this.group = group;
    this.filter = filter;
  }

  public static boolean isShared(String filter) {
    return filter.startsWith(PREFIX);
  }

  /**
   * The filter that topics are matched against: {@code filter} itself, or the part after
   * {@code $share/group/} of a shared one. Fails with {@link FlowError#INVALID} for a malformed shared filter.
   */
  public static String matchFilter(String filter) {
    return isShared(filter) ? parse(filter).filter() : filter;
  }

  /** Parses a shared subscription; fails with {@link FlowError#INVALID} when it is not a valid one. */
  public static SharedFilter parse(String sharedFilter) {
    String problem = Topics.filterProblem(sharedFilter);
    if (problem == null && !isShared(sharedFilter)) {
      problem = "'" + sharedFilter + "' is not a shared subscription ($share/group/filter)";
    }
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, problem);
    }
    int slash = sharedFilter.indexOf('/', PREFIX.length());
    return new SharedFilter(sharedFilter.substring(PREFIX.length(), slash), sharedFilter.substring(slash + 1));
  }

  static String problem(String sharedFilter) {
    int slash = sharedFilter.indexOf('/', PREFIX.length());
    if (slash < 0) {
      return "shared subscription '" + sharedFilter + "' has no topic filter after the group name";
    }
    String group = sharedFilter.substring(PREFIX.length(), slash);
    if (group.isEmpty()) {
      return "shared subscription '" + sharedFilter + "' has an empty group name";
    }
    if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
      return "group name of shared subscription '" + sharedFilter + "' must not contain '+' or '#'";
    }
    String filter = sharedFilter.substring(slash + 1);
    if (filter.isEmpty()) {
      return "shared subscription '" + sharedFilter + "' has an empty topic filter";
    }
    return Topics.wildcardProblem(filter);
  }

  public String group() {
    return group;
  }

  /** The topic filter inside the shared subscription. */
  public String filter() {
    return filter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SharedFilter && ((SharedFilter) o).group.equals(group) && ((SharedFilter) o).filter.equals(filter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, filter);
  }

  @Override
  public String toString() {
    return PREFIX + group + "/" + filter;
  }
}
