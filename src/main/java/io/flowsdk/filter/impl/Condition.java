package io.flowsdk.filter.impl;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule's {@code when}: a test on payload fields and headers. Parsed once at deploy time, so every
 * mistake is found before a message arrives.
 */
interface Condition {

  Condition ALWAYS = candidate -> true;

  List<String> OPS = List.of("eq", "ne", "gt", "ge", "lt", "le", "exists", "regex", "in");

  boolean test(Candidate candidate);

  /** Parses the condition at {@code path}: one of {@code all}, {@code any}, {@code not}, or a test of a {@code field} or {@code header}. */
  static Condition parse(Object value, String path) {
    RuleJson json = RuleJson.object(value, path, "all", "any", "not", "field", "header", "op", "value");
    List<String> kinds = new ArrayList<>();
    for (String kind : List.of("all", "any", "not", "field", "header")) {
      if (json.has(kind)) {
        kinds.add(kind);
      }
    }
    if (kinds.size() != 1) {
      throw RuleJson.invalid(path, "must have exactly one of 'all', 'any', 'not', 'field' or 'header', not " + kinds);
    }
    switch (kinds.get(0)) {
      case "all":
        return all(parseEach(json, "all"));
      case "any":
        return any(parseEach(json, "any"));
      case "not":
        Condition inner = parse(json.json.getValue("not"), json.at("not"));
        return candidate -> !inner.test(candidate);
      case "field":
        String field = json.requiredString("field");
        String problem = FieldPath.problem(field);
        if (problem != null) {
          throw RuleJson.invalid(json.at("field"), problem);
        }
        return test(json, ValueSource.field(field));
      default:
        return test(json, ValueSource.header(json.requiredString("header")));
    }
  }

  private static List<Condition> parseEach(RuleJson json, String key) {
    JsonArray items = json.nonEmptyArray(key);
    List<Condition> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(parse(items.getValue(i), json.at(key) + "[" + i + "]"));
    }
    return out;
  }

  private static Condition all(List<Condition> conditions) {
    return candidate -> {
      for (Condition c : conditions) {
        if (!c.test(candidate)) {
          return false;
        }
      }
      return true;
    };
  }

  private static Condition any(List<Condition> conditions) {
    return candidate -> {
      for (Condition c : conditions) {
        if (c.test(candidate)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Condition test(RuleJson json, ValueSource source) {
    String op = json.requiredString("op");
    if (!OPS.contains(op)) {
      throw RuleJson.invalid(json.at("op"), "must be one of " + OPS + ", not '" + op + "'");
    }
    boolean hasValue = json.has("value");
    if (op.equals("exists")) {
      if (hasValue) {
        throw RuleJson.invalid(json.at("value"), "'exists' takes no value (use 'not' for absence)");
      }
      return candidate -> source.value(candidate) != null;
    }
    if (!hasValue) {
      throw RuleJson.invalid(json.at("value"), "is required for '" + op + "'");
    }
    Object expected = json.json.getValue("value");
    switch (op) {
      case "regex":
        Pattern pattern = pattern(expected, json.at("value"));
        return candidate -> {
          Object actual = source.value(candidate);
          return actual != null && !(actual instanceof Iterable) && pattern.matcher(String.valueOf(actual)).matches();
        };
      case "in":
        if (!(expected instanceof JsonArray) || ((JsonArray) expected).isEmpty()) {
          throw RuleJson.invalid(json.at("value"), "must be a non-empty array for 'in', not " + RuleJson.describe(expected));
        }
        List<Object> options = ((JsonArray) expected).getList();
        return candidate -> {
          Object actual = source.value(candidate);
          for (Object option : options) {
            if (Values.equal(actual, option)) {
              return true;
            }
          }
          return false;
        };
      case "eq":
        return candidate -> Values.equal(source.value(candidate), expected);
      case "ne":
        return candidate -> !Values.equal(source.value(candidate), expected);
      default:
        if (!(expected instanceof Number || expected instanceof String)) {
          throw RuleJson.invalid(json.at("value"), "must be a number or a string for '" + op + "', not " + RuleJson.describe(expected));
        }
        return ordering(op, source, expected);
    }
  }

  private static Condition ordering(String op, ValueSource source, Object expected) {
    return candidate -> {
      Integer cmp = Values.compare(source.value(candidate), expected);
      if (cmp == null) {
        return false;
      }
      switch (op) {
        case "gt":
          return cmp > 0;
        case "ge":
          return cmp >= 0;
        case "lt":
          return cmp < 0;
        default:
          return cmp <= 0;
      }
    };
  }

  private static Pattern pattern(Object expected, String path) {
    if (!(expected instanceof String)) {
      throw RuleJson.invalid(path, "must be a regular expression string, not " + RuleJson.describe(expected));
    }
    try {
      return Pattern.compile((String) expected);
    } catch (PatternSyntaxException e) {
      throw RuleJson.invalid(path, "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  /** Comparison of JSON values with headers, which are strings: a numeric header compares as a number. */
  final class Values {
    private Values() {
    }

    static boolean equal(Object actual, Object expected) {
      if (actual == null) {
        return false;
      }
      Integer cmp = compare(actual, expected);
      return cmp != null ? cmp == 0 : Objects.equals(actual, expected);
    }

    /** The order of {@code actual} against {@code expected}, or {@code null} when they are not comparable. */
    static Integer compare(Object actual, Object expected) {
      if (expected instanceof Number) {
        Double a = number(actual);
        return a == null ? null : Double.compare(a, ((Number) expected).doubleValue());
      }
      if (expected instanceof String && actual instanceof String) {
        return Integer.signum(((String) actual).compareTo((String) expected));
      }
      return null;
    }

    private static Double number(Object value) {
      if (value instanceof Number) {
        return ((Number) value).doubleValue();
      }
      if (value instanceof String) {
        try {
          return Double.parseDouble((String) value);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return null;
    }
  }
}
