package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A parsed rule: a topic filter, a condition and the actions run in order, with its meters once bound. */
final class Rule {

  final int index;
  final String name;
  final String filter;
  private final Condition when;
  private final List<Action> actions;
  private final List<Map<Outcome, Counter>> actionCounters = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private MeterRegistry registry;
  private String filterName;
  private Counter matched;

  Rule(int index, String name, String filter, Condition when, List<Action> actions) {
    this.index = index;
    this.name = name;
    this.filter = filter;
    this.when = when;
    this.actions = actions;
  }

  /** Records this rule's meters in {@code registry}, tagged with the filter's name. */
  void bind(MeterRegistry registry, String filterName) {
    this.registry = registry;
    this.filterName = filterName;
    this.matched = register(Counter.builder("flowsdk_filter_matched_total")
      .description("messages whose topic and condition a filter rule matched")
      .tag("filter", filterName).tag("rule", name).register(registry));
    actions.forEach(a -> actionCounters.add(new EnumMap<>(Outcome.class)));
  }

  /** Removes the meters {@link #bind} and {@link #apply} registered. */
  void unbind() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  /** Runs the rule on {@code message}, whose topic matches the filter; forwards go to {@code forwards}. */
  void apply(FlowMessage message, long nowNanos, List<FlowMessage> forwards) {
    Candidate candidate = new Candidate(message);
    if (!when.test(candidate)) {
      return;
    }
    matched.increment();
    for (int i = 0; i < actions.size(); i++) {
      Action action = actions.get(i);
      Outcome outcome = action.apply(candidate, nowNanos, forwards);
      actionCounters.get(i).computeIfAbsent(outcome, o -> counter(action, o)).increment();
      if (!outcome.proceed) {
        return;
      }
    }
  }

  private Counter counter(Action action, Outcome outcome) {
    return register(Counter.builder("flowsdk_filter_actions_total")
      .description("what each filter rule action did with the messages it saw")
      .tag("filter", filterName).tag("rule", name).tag("action", action.type()).tag("result", outcome.tag)
      .register(registry));
  }

  private Counter register(Counter counter) {
    meters.add(counter);
    return counter;
  }
}
