package io.flowsdk.filter.impl;

/**
 * What one action did with one message: the {@code result} tag of
 * {@code flowsdk_filter_actions_total}, and whether the rule's later actions run.
 */
enum Outcome {
  PASSED("passed", true),
  FORWARDED("forwarded", true),
  INVALID_TOPIC("invalid_topic", true),
  DROPPED("dropped", false),
  SAMPLED_OUT("sampled_out", false),
  RATE_LIMITED("rate_limited", false),
  DUPLICATE("duplicate", false);

  final String tag;
  final boolean proceed;

  Outcome(String tag, boolean proceed) {
    this.tag = tag;
    this.proceed = proceed;
  }
}
