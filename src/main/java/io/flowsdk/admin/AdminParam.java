package io.flowsdk.admin;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.topic.Topics;

/**
 * A parameter of an admin route: in the path ({@code :name}, always required) or the query. Read from
 * its text, it is checked here, so a bad one is answered 400 naming it before any node is asked.
 *
 * @param name        the parameter's name
 * @param kind        what its text must be
 * @param inPath      true for a path parameter
 * @param required    whether it must be given
 * @param defaultValue its value when it is not given (null for none)
 */
public record AdminParam(String name, Kind kind, boolean inPath, boolean required, Object defaultValue) {

  /** The largest {@code limit} of a paged list. */
  public static final int MAX_PAGE = 1000;
  /** The largest {@code offset}: a node sends at most {@code offset + limit} items. */
  public static final int MAX_OFFSET = 100_000;
  /** The largest {@link Kind#COUNT}: how many things one request may change. */
  public static final int MAX_COUNT = 10_000;

  /** What the text of a parameter must be. */
  public enum Kind {
    STRING, BOOLEAN, TOPIC, FILTER, OFFSET, LIMIT,
    /** How many things to change, 1..{@value #MAX_COUNT}. */
    COUNT
  }

  public static AdminParam path(String name) {
    return new AdminParam(name, Kind.STRING, true, true, null);
  }

  public static AdminParam query(String name, Kind kind) {
    return new AdminParam(name, kind, false, false, null);
  }

  public static AdminParam required(String name, Kind kind) {
    return new AdminParam(name, kind, false, true, null);
  }

  public static AdminParam query(String name, Kind kind, Object defaultValue) {
    return new AdminParam(name, kind, false, false, defaultValue);
  }

  /** The value of {@code text}; fails with {@code INVALID} naming the parameter and what it must be. */
  public Object read(String text) {
    switch (kind) {
      case BOOLEAN:
        if (!text.equals("true") && !text.equals("false")) {
          throw invalid("must be true or false, not '" + text + "'");
        }
        return Boolean.parseBoolean(text);
      case OFFSET:
        return number(text, 0, MAX_OFFSET);
      case LIMIT:
        return number(text, 1, MAX_PAGE);
      case COUNT:
        return number(text, 1, MAX_COUNT);
      case TOPIC:
        check(Topics.nameProblem(text));
        return text;
      case FILTER:
        check(Topics.filterProblem(text));
        return text;
      default:
        return text;
    }
  }

  private int number(String text, int min, int max) {
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid("must be a whole number from " + min + " to " + max + ", not '" + text + "'");
  }

  private void check(String problem) {
    if (problem != null) {
      throw invalid("is not valid: " + problem);
    }
  }

  private FlowException invalid(String what) {
    return new FlowException(FlowError.INVALID, (inPath ? "path" : "query") + " parameter '" + name + "' " + what);
  }
}
