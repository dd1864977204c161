package io.flowsdk.mqtt.broker.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of one node's {@code $SYS} tree, or of the cluster's, by Mosquitto's names: the
 * {@link #SUMMED} counters, which add up over nodes, and {@link #UPTIME}, of which the longest counts.
 */
final class SysFigures {

  static final List<String> SUMMED = List.of("clients/connected", "subscriptions/count", "messages/received",
    "messages/sent", "bytes/received", "bytes/sent", "publish/messages/dropped");
  static final String UPTIME = "uptime";
  private static final String SECONDS = " seconds";

  /** Every name of {@link #SUMMED} and {@link #UPTIME} (in seconds), in that order. */
  private final Map<String, Long> values;

  private SysFigures(Map<String, Long> values) {
    this.values = values;
  }

  /** {@code counters}: one value per name of {@link #SUMMED}, in its order. */
  static SysFigures of(List<Long> counters, long uptimeSeconds) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (int i = 0; i < SUMMED.size(); i++) {
      values.put(SUMMED.get(i), counters.get(i));
    }
    values.put(UPTIME, uptimeSeconds);
    return new SysFigures(values);
  }

  /** The figures of payloads by name as {@link #payloads()} writes them; a missing or unreadable one is 0. */
  static SysFigures parse(Map<String, String> payloads) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String name : SUMMED) {
      values.put(name, number(payloads.get(name)));
    }
    String uptime = payloads.get(UPTIME);
    values.put(UPTIME, number(uptime == null ? null : uptime.replace(SECONDS, "")));
    return new SysFigures(values);
  }

  private static long number(String payload) {
    try {
      return payload == null ? 0 : Long.parseLong(payload.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** These and {@code other} together: the counters summed, the longer uptime. */
  SysFigures plus(SysFigures other) {
    Map<String, Long> sum = new LinkedHashMap<>();
    values.forEach((name, value) -> sum.put(name, name.equals(UPTIME) ? Math.max(value, other.values.get(name))
      : value + other.values.get(name)));
    return new SysFigures(sum);
  }

  long get(String name) {
    return values.get(name);
  }

  /** The payload to publish under each name: the number, {@code N seconds} for the uptime (Mosquitto's forms). */
  Map<String, String> payloads() {
    Map<String, String> payloads = new LinkedHashMap<>();
    values.forEach((name, value) -> payloads.put(name, name.equals(UPTIME) ? value + SECONDS : String.valueOf(value)));
    return payloads;
  }
}
