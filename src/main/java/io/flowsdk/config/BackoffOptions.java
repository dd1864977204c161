package io.flowsdk.config;

import io.flowsdk.util.Backoff;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

import static io.flowsdk.config.JsonOptions.checkFraction;
import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * How long a verticle waits before it tries again what failed (a reconnect, an upstream it skips): the
 * delays of a {@link Backoff}, {@code initialMillis} after the first failure, doubled after each further
 * failure in a row up to {@code maxMillis}, the fraction {@code jitter} of each random. A verticle reads
 * it as one nested object with defaults of its own: {@code upstreamRetry} of the relay edge,
 * {@code brokerRetry} of the MQTT proxy, {@code reconnect} of the gRPC relay.
 */
public class BackoffOptions {

  /** The longest delay either bound may be: an hour. */
  public static final long MAX_DELAY_MILLIS = 3_600_000;

  private static final String OWNER = "BackoffOptions";

  private long initialMillis;
  private long maxMillis;
  private double jitter;

  public BackoffOptions(long initialMillis, long maxMillis, double jitter) {
    setInitialMillis(initialMillis);
    setMaxMillis(maxMillis);
    setJitter(jitter);
  }

  public BackoffOptions(BackoffOptions other) {
    this(other.initialMillis, other.maxMillis, other.jitter);
  }

  /**
   * Reads the JSON form of the option {@code owner} (such as {@code RelayEdgeOptions.upstreamRetry}, as
   * error messages name it); a key it leaves out keeps its value in {@code defaults}. Unknown keys, wrong
   * types and values out of range fail with {@code INVALID}.
   */
  public BackoffOptions(JsonObject json, String owner, BackoffOptions defaults) {
    JsonOptions o = JsonOptions.read(json, owner, "initialMillis", "maxMillis", "jitter");
    initialMillis = checkDelay(owner, "initialMillis", o.longValue("initialMillis", defaults.initialMillis));
    maxMillis = checkDelay(owner, "maxMillis", o.longValue("maxMillis", defaults.maxMillis));
    jitter = checkFraction(owner, "jitter", o.doubleValue("jitter", defaults.jitter));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("initialMillis", initialMillis)
      .put("maxMillis", maxMillis)
      .put("jitter", jitter);
  }

  /** The delays these options describe, their random part drawn from {@link ThreadLocalRandom}. */
  public Backoff backoff() {
    return new Backoff(initialMillis, maxMillis, jitter, () -> ThreadLocalRandom.current().nextDouble());
  }

  public long getInitialMillis() {
    return initialMillis;
  }

  /** The delay after the first failure, 1..{@value #MAX_DELAY_MILLIS}. */
  public BackoffOptions setInitialMillis(long initialMillis) {
    this.initialMillis = checkDelay(OWNER, "initialMillis", initialMillis);
    return this;
  }

  public long getMaxMillis() {
    return maxMillis;
  }

  /** The cap of the delay, 1..{@value #MAX_DELAY_MILLIS}; one below {@code initialMillis} counts as {@code initialMillis}. */
  public BackoffOptions setMaxMillis(long maxMillis) {
    this.maxMillis = checkDelay(OWNER, "maxMillis", maxMillis);
    return this;
  }

  public double getJitter() {
    return jitter;
  }

  /** The random fraction of each delay, 0..1, so that many parties cut off together do not return together. */
  public BackoffOptions setJitter(double jitter) {
    this.jitter = checkFraction(OWNER, "jitter", jitter);
    return this;
  }

  private static long checkDelay(String owner, String key, long millis) {
    return checkRange(owner, key, millis, 1, MAX_DELAY_MILLIS);
  }

}
