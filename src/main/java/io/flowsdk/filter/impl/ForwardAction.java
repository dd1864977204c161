package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.topic.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the message, with the headers as the rule set them, to a topic built from a template
 * whose {@code {n}} parts are the source topic's level n (from 0): {@code site/{1}/alerts}.
 */
final class ForwardAction implements Action {

  private final List<Object> parts;
  private final FlowOrigin origin;

  private ForwardAction(List<Object> parts, FlowOrigin origin) {
    this.parts = parts;
    this.origin = origin;
  }

  /** Parses {@code template}; {@code filter} is the rule's topic filter, which says which levels every matching topic has. */
  static ForwardAction parse(String template, String filter, String path, FlowOrigin origin) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (open < 0) {
        if (close >= 0) {
          throw RuleJson.invalid(path, "'}' at index " + close + " has no '{'");
        }
        parts.add(template.substring(i));
        break;
      }
      if (close >= 0 && close < open) {
        throw RuleJson.invalid(path, "'}' at index " + close + " has no '{'");
      }
      if (close < 0) {
        throw RuleJson.invalid(path, "'{' at index " + open + " is not closed");
      }
      if (open > i) {
        parts.add(template.substring(i, open));
      }
      int level = levelIndex(template.substring(open + 1, close), filter, path);
      parts.add(level);
      i = close + 1;
    }
    String problem = Topics.nameProblem(template); // braces are legal in topic names, so the template checks as one
    if (problem != null) {
      throw RuleJson.invalid(path, "'" + template + "' does not make a valid topic: " + problem);
    }
    return new ForwardAction(parts, origin);
  }

  /** A topic level the filter guarantees: before any {@code #} (which may match nothing). */
  private static int levelIndex(String text, String filter, String path) {
    int level;
    try {
      level = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RuleJson.invalid(path, "'{" + text + "}' must be a topic level number, such as {0}");
    }
    String[] levels = filter.split("/", -1);
    int guaranteed = levels[levels.length - 1].equals("#") ? levels.length - 1 : levels.length;
    if (level < 0 || level >= guaranteed) {
      throw RuleJson.invalid(path, "'{" + text + "}' is not a level every topic matching '" + filter + "' has (levels 0.." + (guaranteed - 1) + ")");
    }
    return level;
  }

  @Override
  public String type() {
    return "forward";
  }

  @Override
  public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
    StringBuilder topic = new StringBuilder();
    for (Object part : parts) {
      topic.append(part instanceof Integer ? candidate.level((Integer) part) : (String) part);
    }
    if (Topics.nameProblem(topic.toString()) != null) {
      return Outcome.INVALID_TOPIC; // e.g. only empty levels were substituted
    }
    forwards.add(candidate.message.toBuilder().topic(topic.toString()).headers(candidate.headers).origin(origin).build());
    return Outcome.FORWARDED;
  }
}
