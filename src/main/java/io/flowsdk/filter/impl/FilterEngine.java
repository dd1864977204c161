package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.topic.SubscriptionTrie;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The rules of one filter, indexed by their topic filters in a {@link SubscriptionTrie}, so a
 * message costs only the rules whose filter matches its topic. Plain and single-threaded: the
 * verticle feeds it on its event loop, tests feed it directly with their own clock.
 */
public final class FilterEngine {

  private final SubscriptionTrie<Rule> index = new SubscriptionTrie<>();
  private final List<Rule> rules;
  private final FlowOrigin origin;
  private final LongSupplier nanoClock;

  private FilterEngine(List<Rule> rules, FlowOrigin origin, LongSupplier nanoClock) {
    this.rules = rules;
    this.origin = origin;
    this.nanoClock = nanoClock;
    rules.forEach(rule -> index.add(rule.filter, rule));
  }

  /**
   * Parses {@code rules} (failing with {@code INVALID}, the JSON path and the reason, before any
   * meter is registered) and records their meters in {@code registry} tagged {@code filter=name}.
   * Forwarded messages carry {@code origin}; the engine skips any message whose origin has the same
   * adapter and client, from whichever node.
   */
  public static FilterEngine create(String name, JsonArray rules, FlowOrigin origin, MeterRegistry registry,
                                    LongSupplier nanoClock, DoubleSupplier random) {
    List<Rule> parsed = new RuleParser(origin, random).parse(rules);
    parsed.forEach(rule -> rule.bind(registry, name));
    return new FilterEngine(parsed, origin, nanoClock);
  }

  /** The distinct topic filters of the rules, in rule order: what the verticle subscribes to. */
  public List<String> filters() {
    Set<String> filters = new LinkedHashSet<>();
    rules.forEach(rule -> filters.add(rule.filter));
    return new ArrayList<>(filters);
  }

  /**
   * Runs every rule whose filter matches {@code message}'s topic, in rule order, and returns the
   * messages to publish. A message arrives once per matching subscription; only the one through
   * {@code viaFilter}, the filter of the first matching rule, is processed, so each message runs
   * each matching rule once. Messages this filter forwarded itself are skipped, so rules cannot loop.
   */
  public List<FlowMessage> apply(FlowMessage message, String viaFilter) {
    if (isOwn(message.origin())) {
      return List.of();
    }
    List<Rule> matching = new ArrayList<>(index.match(message.topic()));
    if (matching.isEmpty()) {
      return List.of();
    }
    matching.sort(Comparator.comparingInt(rule -> rule.index));
    if (!matching.get(0).filter.equals(viaFilter)) {
      return List.of();
    }
    long now = nanoClock.getAsLong();
    List<FlowMessage> forwards = new ArrayList<>(1);
    for (Rule rule : matching) {
      rule.apply(message, now, forwards);
    }
    return forwards.isEmpty() ? Collections.emptyList() : forwards;
  }

  /** Forwarded by this filter on any node: same adapter and filter name, whatever the node. */
  private boolean isOwn(FlowOrigin other) {
    return other.adapter().equals(origin.adapter()) && other.client().equals(origin.client());
  }

  /** Removes the meters of every rule. */
  public void close() {
    rules.forEach(Rule::unbind);
  }
}
