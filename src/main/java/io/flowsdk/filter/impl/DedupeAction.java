package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Stops a message whose key was seen within the last {@code windowMillis} (counted from the first
 * sighting). At most {@code maxKeys} keys are remembered; past that the oldest is forgotten early.
 * A message without the key passes.
 */
final class DedupeAction implements Action {

  static final long DEFAULT_WINDOW_MILLIS = 60_000;
  static final int DEFAULT_MAX_KEYS = 100_000;

  private final ValueSource key;
  private final long windowNanos;
  private final BoundedKeys<Long> firstSeen;

  private DedupeAction(ValueSource key, long windowMillis, int maxKeys) {
    this.key = key;
    this.windowNanos = windowMillis * 1_000_000;
    this.firstSeen = new BoundedKeys<>(maxKeys, false);
  }

  static DedupeAction parse(RuleJson json) {
    ValueSource key = ValueSource.key(json.requiredString("key"), json.at("key"), false);
    long window = json.wholeNumber("windowMillis", DEFAULT_WINDOW_MILLIS, 1);
    int maxKeys = (int) Math.min(Integer.MAX_VALUE, json.wholeNumber("maxKeys", DEFAULT_MAX_KEYS, 1));
    return new DedupeAction(key, window, maxKeys);
  }

  @Override
  public String type() {
    return "dedupe";
  }

  @Override
  public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
    Object k = key.value(candidate);
    if (k == null) {
      return Outcome.PASSED;
    }
    forgetExpired(nowNanos);
    String id = String.valueOf(k);
    if (firstSeen.containsKey(id)) {
      return Outcome.DUPLICATE;
    }
    firstSeen.put(id, nowNanos);
    return Outcome.PASSED;
  }

  /** Keys are in first-seen order, so the expired ones are at the head. */
  private void forgetExpired(long nowNanos) {
    Iterator<Map.Entry<String, Long>> it = firstSeen.entrySet().iterator();
    while (it.hasNext() && nowNanos - it.next().getValue() >= windowNanos) {
      it.remove();
    }
  }
}
