package io.flowsdk.mqtt.client;

/**
 * Which message the offline buffer drops when it is full. The buffer always drops from the lowest
 * priority present (including the new message's); this policy decides among messages of that priority.
 */
public enum OfflineDropPolicy {
  /** Drop the oldest message of the lowest priority: fresh data wins. */
  DROP_OLDEST,
  /** Drop the newest message of the lowest priority (possibly the one being published): history wins. */
  DROP_NEWEST
}
