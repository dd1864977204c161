package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.SubscriptionOptions;
import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Function;

/**
 * One subscriber on this node. Its state lives on the subscriber's context: messages are handed
 * to the handler there, at most {@code maxInflight} unacknowledged at a time; the rest wait in a
 * bounded buffer where the overflow policy applies.
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
  /** Closes the subscription when its context closes (the verticle that made it is undeployed). */
  private final Closeable closeHook = completion -> close().onComplete(completion);
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private int inflight;
  private boolean paused;
  private boolean closed;
  private long dropped;

  LocalSubscription(SubscriptionOptions options, String matchFilter, String sharedFilter, ContextInternal context,
                    FlowHandler handler, BusMeters meters, Function<LocalSubscription, Future<Void>> unsubscribe) {
    this.filter = options.getFilter();
    this.matchFilter = matchFilter;
    this.sharedFilter = sharedFilter;
    this.options = options;
    this.context = context;
    this.handler = handler;
    this.meters = meters;
    this.unsubscribe = unsubscribe;
    context.addCloseHook(closeHook);
  }

  /** Offers a message from any thread; {@code ack} (null at QoS 0) completes when the handler's future does. */
  void offer(FlowMessage message, Promise<Void> ack) {
    onContext(() -> accept(new Pending(message, ack)));
  }

  boolean accepts(FlowMessage message) {
    return !(options.isNoLocal() && message.origin().equals(options.getOwner()));
  }

  private void accept(Pending p) {
    if (closed) {
      fail(p, FlowError.CANCELLED, "subscription '" + filter + "' was closed");
      return;
    }
    if (!paused && inflight < options.getMaxInflight() && buffer.isEmpty()) {
      handle(p);
      return;
    }
    if (buffer.size() >= options.getBufferSize()) {
      p = makeRoom(p);
      if (p == null) {
        return;
      }
    }
    buffer.addLast(p);
  }

  /** Applies the overflow policy; returns the message to buffer, or null when the arriving one was dropped. */
  private Pending makeRoom(Pending arriving) {
    Pending victim;
    switch (options.getOverflowPolicy()) {
      case DROP_NEWEST:
        victim = arriving;
        break;
      case DROP_OLDEST:
        victim = buffer.pollFirst();
        break;
      default:
        victim = lowestPriority(arriving);
        if (victim != arriving) {
          buffer.remove(victim);
        }
    }
    dropped++;
    meters.dropped(BusMeters.DropReason.OVERFLOW);
    fail(victim, FlowError.OVERLOADED, "subscription '" + filter + "' buffer of " + options.getBufferSize() + " messages is full");
    return victim == arriving ? null : arriving;
  }

  private Pending lowestPriority(Pending arriving) {
    Pending lowest = arriving;
    Iterator<Pending> it = buffer.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.message.priority() <= lowest.message.priority() && (lowest == arriving || p.message.priority() < lowest.message.priority())) {
        lowest = p;
      }
    }
    return lowest;
  }

  private void handle(Pending p) {
    inflight++;
    meters.delivered();
    Future<Void> done;
    try {
      done = handler.handle(p.message);
    } catch (RuntimeException e) {
      log.error("subscription '" + filter + "' handler threw", e);
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      inflight--;
      if (p.ack != null) {
        if (ar.succeeded()) {
          p.ack.tryComplete();
        } else {
          p.ack.tryFail(FlowException.from(ar.cause()));
        }
      }
      drain();
    });
  }

  private void drain() {
    while (!paused && !closed && inflight < options.getMaxInflight() && !buffer.isEmpty()) {
      handle(buffer.pollFirst());
    }
  }

  private void fail(Pending p, FlowError error, String reason) {
    if (p.ack != null) {
      p.ack.tryFail(new FlowException(error, reason));
    }
  }

  private void onContext(Runnable task) {
    if (ContextInternal.current() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  @Override
  public String filter() {
    return filter;
  }

  @Override
  public FlowSubscription pause() {
    onContext(() -> paused = true);
    return this;
  }

  @Override
  public FlowSubscription resume() {
    onContext(() -> {
      paused = false;
      drain();
    });
    return this;
  }

  @Override
  public boolean isPaused() {
    return paused;
  }

  @Override
  public int buffered() {
    return buffer.size();
  }

  @Override
  public long dropped() {
    return dropped;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> closing = context.promise();
    onContext(() -> {
      if (!closed) {
        closed = true;
        context.removeCloseHook(closeHook);
        for (Pending p : buffer) {
          fail(p, FlowError.CANCELLED, "subscription '" + filter + "' was closed");
        }
        buffer.clear();
      }
      unsubscribe.apply(this).onComplete(closing);
    });
    return closing.future();
  }

  private static final class Pending {
    final FlowMessage message;
    final Promise<Void> ack;

    Pending(FlowMessage message, Promise<Void> ack) {
      this.message = message;
      this.ack = ack;
    }
  }
}
