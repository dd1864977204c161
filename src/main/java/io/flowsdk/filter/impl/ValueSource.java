package io.flowsdk.filter.impl;

/**
 * Where a condition, a rate limit or a dedupe key takes its value from: a payload field, a header,
 * the topic, or (for rate limits) nothing but the rule itself.
 */
interface ValueSource {

  /** The value for {@code candidate}, or {@code null} when it has none. */
  Object value(Candidate candidate);

  static ValueSource field(String path) {
    FieldPath field = new FieldPath(path);
    return candidate -> field.resolve(candidate.payload());
  }

  static ValueSource header(String name) {
    return candidate -> candidate.header(name);
  }

  static ValueSource topic() {
    return candidate -> candidate.message.topic();
  }

  /**
   * A key source in its JSON form: {@code topic}, {@code rule}, {@code field:<path>} or
   * {@code header:<name>}; {@code rule} only when {@code ruleAllowed}.
   */
  static ValueSource key(String spec, String path, boolean ruleAllowed) {
    if (spec.equals("topic")) {
      return topic();
    }
    if (spec.equals("rule") && ruleAllowed) {
      return candidate -> "";
    }
    if (spec.startsWith("field:") && spec.length() > "field:".length()) {
      String field = spec.substring("field:".length());
      String problem = FieldPath.problem(field);
      if (problem != null) {
        throw RuleJson.invalid(path, problem);
      }
      return field(field);
    }
    if (spec.startsWith("header:") && spec.length() > "header:".length()) {
      return header(spec.substring("header:".length()));
    }
    throw RuleJson.invalid(path, "must be " + (ruleAllowed ? "'rule', " : "") + "'topic', 'field:<path>' or 'header:<name>', not '" + spec + "'");
  }
}
