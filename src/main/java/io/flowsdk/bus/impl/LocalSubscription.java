package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.util.BoundedQueue;
import io.flowsdk.util.Contexts;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One subscriber on this node. Its state lives on the subscriber's context: messages are handed
 * to the handler there, at most {@code maxInflight} unacknowledged at a time; the rest wait in a
 * bounded buffer where the overflow policy applies. What other threads read (paused, buffered,
 * dropped) is published through volatile or atomic fields.
 */
final class LocalSubscription implements FlowSubscription {

  private static final Logger log = LoggerFactory.getLogger(LocalSubscription.class);

  final String filter;
  /** The filter matched against topics: without the {@code $share/group/} prefix. */
  final String matchFilter;
  /** The full shared filter for a shared subscription, else null. */
  final String sharedFilter;
  final SubscriptionOptions options;

  private final ContextInternal context;
  private final FlowHandler handler;
  private final BusMeters meters;
  private final Function<LocalSubscription, Future<Void>> unsubscribe;
  private final BiFunction<LocalSubscription, Boolean, Future<Void>> standByChange;
  /** Closes the subscription when its context closes (the verticle that made it is undeployed). */
  private final Closeable closeHook = completion -> close().onComplete(completion);
  private final BoundedQueue<Handoff> buffer;
  /** Offers made on other threads that have not reached this subscription's context yet. */
  private final AtomicInteger inTransit = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private volatile int buffered;
  private volatile boolean paused;
  private int inflight;
  private boolean closed;
  /** Of a shared subscription: whether it is on stand-by ({@link #standBy}). Read and written on the bus context. */
  boolean standBy;

  LocalSubscription(SubscriptionOptions options, String matchFilter, String sharedFilter, ContextInternal context,
                    FlowHandler handler, BusMeters meters, Function<LocalSubscription, Future<Void>> unsubscribe,
                    BiFunction<LocalSubscription, Boolean, Future<Void>> standByChange) {
    this.filter = options.getFilter();
    this.matchFilter = matchFilter;
    this.sharedFilter = sharedFilter;
    this.options = options;
    this.context = context;
    this.handler = handler;
    this.meters = meters;
    this.unsubscribe = unsubscribe;
    this.standByChange = standByChange;
    this.buffer = new BoundedQueue<>(options.getBufferSize(), options.getOverflowPolicy().victim(), h -> h.message.priority());
    context.addCloseHook(closeHook);
  }

  /**
   * Offers a message from any thread; it reaches the handler later, on the subscriber's context,
   * never inside the publisher's call (even a publisher on that context). The bound holds before
   * the hop onto the subscriber's context too: while {@code bufferSize + maxInflight} offers have
   * not reached it (its event loop is stalled or far behind), the arriving message is refused at
   * once, whatever the overflow policy, because the ones in transit cannot be reached from here.
   */
  void offer(Handoff h) {
    if (inTransit.incrementAndGet() > options.getBufferSize() + options.getMaxInflight()) {
      inTransit.decrementAndGet();
      overflowed(h, "subscription '" + filter + "' has " + (options.getBufferSize() + options.getMaxInflight())
        + " messages on their way to its event loop, which is stalled or far behind");
      return;
    }
    context.runOnContext(v -> {
      inTransit.decrementAndGet();
      accept(h);
    });
  }

  boolean ownedBy(FlowOrigin owner) {
    return owner.equals(options.getOwner());
  }

  boolean accepts(FlowMessage message) {
    return !(options.isNoLocal() && message.origin().equals(options.getOwner()));
  }

  private void accept(Handoff h) {
    if (closed) {
      arrivedClosed(h);
      return;
    }
    if (!paused && inflight < options.getMaxInflight() && buffer.isEmpty()) {
      handle(h);
      return;
    }
    if (buffer.isFull()) {
      buffer.removeIf(waiting -> !waiting.isWaiting());
    }
    Handoff dropped = buffer.offer(h);
    if (dropped != null) {
      overflowed(dropped, "subscription '" + filter + "' buffer of " + options.getBufferSize() + " messages is full");
    }
    publishBuffered();
  }

  /**
   * A message routed while this subscription was closing: a plain subscription counts as gone, as a
   * route withdrawn in transit does, so one subscriber leaving does not fail the publish for the others.
   * The member of a shared group is told, because its message was meant for the group and no other member took it.
   */
  private void arrivedClosed(Handoff h) {
    if (sharedFilter == null) {
      h.withdraw();
    } else {
      h.fail(FlowError.DISCONNECTED, "subscription '" + filter + "' was closed before it took the message");
    }
  }

  /** A volatile write only when the count changed: most messages pass an empty buffer. */
  private void publishBuffered() {
    int size = buffer.size();
    if (size != buffered) {
      buffered = size;
    }
  }

  private void overflowed(Handoff victim, String reason) {
    dropped.incrementAndGet();
    meters.dropped(BusMeters.DropReason.OVERFLOW);
    victim.fail(FlowError.OVERLOADED, reason);
  }

  private void handle(Handoff h) {
    if (!h.claim()) {
      return;
    }
    inflight++;
    meters.delivered();
    Future<Void> done;
    try {
      done = handler.handle(h.message);
      if (done == null) {
        done = Future.failedFuture(new FlowException(FlowError.INTERNAL,
          "the handler of subscription '" + filter + "' returned null instead of a Future"));
      }
    } catch (RuntimeException e) {
      log.error("subscription '" + filter + "' handler threw", e);
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      inflight--;
      h.complete(ar);
      drain();
    });
  }

  private void drain() {
    while (!paused && !closed && inflight < options.getMaxInflight() && !buffer.isEmpty()) {
      handle(buffer.poll());
    }
    publishBuffered();
  }

  @Override
  public String filter() {
    return filter;
  }

  @Override
  public FlowSubscription pause() {
    paused = true;
    return this;
  }

  @Override
  public FlowSubscription resume() {
    paused = false;
    Contexts.run(context, this::drain);
    return this;
  }

  @Override
  public boolean isPaused() {
    return paused;
  }

  @Override
  public int buffered() {
    return buffered;
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public Future<Void> standBy(boolean standBy) {
    return sharedFilter == null ? context.succeededFuture() : standByChange.apply(this, standBy);
  }

  @Override
  public Future<Void> close() {
    Promise<Void> closing = context.promise();
    Contexts.run(context, () -> {
      if (!closed) {
        closed = true;
        context.removeCloseHook(closeHook);
        for (Handoff h : buffer) {
          h.fail(FlowError.DISCONNECTED, "subscription '" + filter + "' was closed before it took the message");
        }
        buffer.clear();
        buffered = 0;
      }
      unsubscribe.apply(this).onComplete(closing);
    });
    return closing.future();
  }
}
