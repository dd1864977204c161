package io.flowsdk.testing;

import io.flowsdk.bus.FlowBusOptions;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Live instances per class, read from the JVM's class histogram (what {@code jcmd GC.class_histogram} prints, after
 * the full GC it starts with), of the classes whose count above a baseline means someone holds them: ours, Vert.x's
 * and Netty's channels and HTTP/2 codec. A leak is judged by these counts, not by the heap's used bytes: those move
 * by tens of MB between two full GCs of the same live set, while a leaked connection or session keeps at least one
 * instance of each of its classes. Taking a reading costs a full GC and a walk of the heap.
 */
public final class LiveInstances {

  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
  /** Packages whose classes are not pooled, so a live count above the baseline is held by someone. */
  private static final List<String> UNPOOLED = List.of("io.flowsdk.", "io.vertx.", "io.netty.channel.",
    "io.netty.handler.codec.http2.");

  private final Map<String, Long> counts;

  private LiveInstances(Map<String, Long> counts) {
    this.counts = counts;
  }

  /** A reading now. */
  public static LiveInstances now() throws JMException {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
      new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
      new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, Long> counts = new HashMap<>();
    histogram.lines().map(HISTOGRAM_LINE::matcher).filter(Matcher::find)
      .filter(line -> UNPOOLED.stream().anyMatch(line.group(2)::startsWith))
      .forEach(line -> counts.put(line.group(2), Long.parseLong(line.group(1))));
    return new LiveInstances(counts);
  }

  /** How many more live instances of {@code type} this reading has than {@code from} (negative for fewer). */
  public long gainedSince(LiveInstances from, String type) {
    return counts.getOrDefault(type, 0L) - from.counts.getOrDefault(type, 0L);
  }

  /** The classes, sorted, with at least {@code atLeast} more live instances than in {@code from}. */
  public List<String> gainingAtLeast(LiveInstances from, long atLeast) {
    return counts.keySet().stream().filter(type -> gainedSince(from, type) >= atLeast).sorted().toList();
  }

  /**
   * With {@code units} more connections (or sessions) open now than at {@code from}: each class that gained at least
   * one instance per unit, and how many one unit holds (a new map, the caller's to change).
   */
  public Map<String, Long> perUnit(LiveInstances from, int units) {
    Map<String, Long> perUnit = new HashMap<>();
    gainingAtLeast(from, units).forEach(type -> perUnit.put(type, gainedSince(from, type) / units));
    return perUnit;
  }

  /**
   * Of the classes of {@code perUnit} (what one unit holds), those with at least one unit's worth more live instances
   * now than at {@code baseline}, sorted, each as "class +gain (one holds n)": none when every unit since is gone.
   */
  public List<String> heldAbove(LiveInstances baseline, Map<String, Long> perUnit) {
    return perUnit.entrySet().stream().filter(unit -> gainedSince(baseline, unit.getKey()) >= unit.getValue())
      .map(unit -> unit.getKey() + " +" + gainedSince(baseline, unit.getKey()) + " (one holds " + unit.getValue() + ")")
      .sorted().toList();
  }

  /**
   * Asserts that {@link #heldAbove} a reading lists nothing within the bus's default ack timeout and a margin: what
   * outlives its unit by a bounded time clears, a leak stays. The bus keeps one timer for its oldest delivery awaiting
   * an ack, which runs out up to that timeout after the delivery was acknowledged (a QoS 1 publish near the end of
   * a fuzz run leaves one {@code InternalTimerHandler} behind it for that long).
   */
  public static void assertNoneHeldAbove(LiveInstances baseline, Map<String, Long> perUnit, String message) {
    await().atMost(Duration.ofMillis(FlowBusOptions.DEFAULT_ACK_TIMEOUT_MILLIS).plusSeconds(20))
      .pollInterval(Duration.ofMillis(500))
      .untilAsserted(() -> assertEquals(List.of(), now().heldAbove(baseline, perUnit), message));
  }
}
