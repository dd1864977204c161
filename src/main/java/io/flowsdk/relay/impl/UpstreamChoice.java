package io.flowsdk.relay.impl;

import io.flowsdk.relay.UpstreamAddressOptions;
import io.flowsdk.util.Backoff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Which upstream (a relay upstream of the edge, a broker of the MQTT proxy) a new session of one
 * verticle instance tries, in failover order: the configured ones in order (or in the order a session
 * asks for, {@link #available}), skipping each that failed until its backoff has passed (so a dead
 * upstream is not asked by every new client, and is tried again after {@link Backoff} delays). Lives
 * on one event loop.
 */
final class UpstreamChoice {

  /** One configured upstream and its failures in a row. */
  static final class Upstream {
    final UpstreamAddressOptions address;
    private int failures;
    private long skipUntil;

    private Upstream(UpstreamAddressOptions address) {
      this.address = address;
    }
  }

  private final List<Upstream> upstreams = new ArrayList<>();
  private final Backoff backoff;
  private final LongSupplier clock;

  UpstreamChoice(List<UpstreamAddressOptions> addresses, Backoff backoff, LongSupplier clock) {
    addresses.forEach(a -> upstreams.add(new Upstream(a)));
    this.backoff = backoff;
    this.clock = clock;
  }

  /** Every configured upstream, in the configured order. */
  List<Upstream> all() {
    return upstreams;
  }

  /** The upstreams a new session tries, in order; empty while every one of them is backing off. */
  List<Upstream> candidates() {
    return available(upstreams);
  }

  /** Those of {@code order} that are not backing off, in that order. */
  List<Upstream> available(List<Upstream> order) {
    long now = clock.getAsLong();
    return order.stream().filter(u -> u.skipUntil <= now).toList();
  }

  /** The milliseconds until the first upstream may be tried again (0 when one may be tried now). */
  long nextRetryIn() {
    long now = clock.getAsLong();
    return Math.max(0, upstreams.stream().mapToLong(u -> u.skipUntil).min().orElse(0) - now);
  }

  /** {@code upstream} could not be reached: new sessions skip it for its next backoff delay. */
  void failed(Upstream upstream) {
    upstream.failures++;
    upstream.skipUntil = clock.getAsLong() + backoff.delay(upstream.failures);
  }

  /** A connection to {@code upstream} opened: it is healthy again. */
  void succeeded(Upstream upstream) {
    upstream.failures = 0;
    upstream.skipUntil = 0;
  }
}
