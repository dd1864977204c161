package io.flowsdk.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The counters of one meter that differ in one tag ({@code reason}, {@code error}, {@code method}, ...). The values
 * known when the component starts are registered then, at 0, so a scrape of a fresh node shows each series and
 * {@code rate()} and {@code increase()} count its first event; a value not known then (a status a peer sent) is
 * registered at its first use. Thread-safe; looking a counter up costs a map read, not a registry lookup.
 *
 * @param <K> what the tag's value is made from, such as an enum of reasons
 */
public final class CounterFamily<K> {

  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final Tags tags;
  private final String key;
  private final Function<? super K, String> tagValue;
  private final ConcurrentMap<K, Counter> counters = new ConcurrentHashMap<>();

  private CounterFamily(MeterRegistry registry, String name, String description, Tags tags, String key,
                        Function<? super K, String> tagValue) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.tags = tags;
    this.key = key;
    this.tagValue = tagValue;
  }

  /**
   * Registers {@code name} tagged {@code tags} and {@code key} = {@code tagValue} of each of {@code upFront}, at 0.
   */
  public static <K> CounterFamily<K> register(MeterRegistry registry, String name, String description, Tags tags,
                                              String key, Function<? super K, String> tagValue, List<? extends K> upFront) {
    CounterFamily<K> family = new CounterFamily<>(registry, name, description, tags, key, tagValue);
    upFront.forEach(family::counter);
    return family;
  }

  /** The counter of {@code value}, registered now if it was not known up front. */
  public Counter counter(K value) {
    Counter counter = counters.get(value);
    return counter != null ? counter : counters.computeIfAbsent(value, v -> Counter.builder(name).description(description)
      .tags(tags).tag(key, tagValue.apply(v)).register(registry));
  }

  public void increment(K value) {
    counter(value).increment();
  }
}
