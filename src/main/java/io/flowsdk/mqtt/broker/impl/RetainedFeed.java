package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The retained messages one new subscription is owed, read from the store a batch at a time as the
 * session sends them ({@link OutboundFlow} pulls the next one only while the client's window has room
 * and the connection can take more): a {@code #} over 100,000 retained messages holds their topic
 * names, but never more than one batch of their messages, and none is dropped for want of room.
 * Lives on the broker's event loop.
 */
final class RetainedFeed {

  private static final Logger log = LoggerFactory.getLogger(RetainedFeed.class);
  static final int BATCH = 256;

  private final RetainedStore store;
  private final List<String> topics;
  private final int qos;
  private final List<Integer> subscriptionIds;
  private final LongSupplier clock;
  private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
  private int nextTopic;
  private boolean reading;

  RetainedFeed(RetainedStore store, List<String> topics, int qos, List<Integer> subscriptionIds, LongSupplier clock) {
    this.store = store;
    this.topics = topics;
    this.qos = qos;
    this.subscriptionIds = subscriptionIds;
    this.clock = clock;
  }

  /**
   * The next delivery, or null when none is ready: the feed is {@link #done}, or a batch is being
   * read, after which {@code onReady} runs (not when the read completed at once: the caller then
   * finds the batch here).
   */
  Delivery peek(Runnable onReady) {
    while (ready.isEmpty() && !reading && nextTopic < topics.size()) { // again when a batch had only messages gone since
      read(onReady);
    }
    return ready.peek();
  }

  Delivery poll() {
    return ready.poll();
  }

  boolean done() {
    return ready.isEmpty() && !reading && nextTopic >= topics.size();
  }

  private void read(Runnable onReady) {
    int end = Math.min(nextTopic + BATCH, topics.size());
    List<String> batch = List.copyOf(topics.subList(nextTopic, end));
    nextTopic = end;
    reading = true;
    Future<List<FlowMessage>> read = store.read(batch, clock.getAsLong());
    if (read.isComplete()) {
      take(read);
    } else {
      read.onComplete(done -> {
        take(read);
        onReady.run();
      });
    }
  }

  private void take(Future<List<FlowMessage>> read) {
    reading = false;
    if (read.failed()) {
      log.warn("retained messages not read (" + read.cause().getMessage() + "): skipped");
      return;
    }
    for (FlowMessage m : read.result()) {
      ready.add(new Delivery(m, Math.min(m.qos().value(), qos), true, subscriptionIds));
    }
  }
}
