package io.flowsdk.filter;

import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.filter.impl.FilterEngine;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies {@link FilterOptions#getRules() rules} to flow-bus messages: forwards (with a rewritten
 * topic), drops, samples, rate-limits, de-duplicates and edits headers (descriptor
 * {@code verticles/filter.json}, reference {@code docs/filter.md}).
 *
 * <p>Deployment fails with {@code INVALID}, the rule's JSON path and the reason, for any invalid
 * rule. The verticle subscribes to each rule topic filter as {@code $share/flowsdk-filter-<name>/<filter>},
 * so instances of one filter on several nodes share the work; each message is filtered once. A
 * message's delivery is acknowledged when its forwards were published (QoS 1/2 forwards when their
 * subscribers took them), so a publisher's QoS 1/2 future fails when a forward fails.
 */
public class FilterVerticle extends VerticleBase {

  private FilterEngine engine;
  private MeterRegistry registry;
  private Counter forwardFailed;

  @Override
  public Future<?> start() {
    FilterOptions options = new FilterOptions(config());
    registry = FlowMetrics.registry(vertx);
    return FlowBus.create(vertx).compose(bus -> {
      FlowOrigin origin = new FlowOrigin(bus.nodeId(), "filter", options.getName());
      try {
        engine = FilterEngine.create(options.getName(), options.getRules(), origin, registry, System::nanoTime,
          () -> ThreadLocalRandom.current().nextDouble());
      } catch (FlowException e) {
        return Future.failedFuture(e);
      }
      forwardFailed = Counter.builder("flowsdk_filter_forward_failed_total")
        .description("forwards whose publish failed").tag("filter", options.getName()).register(registry);
      List<Future<?>> subscribed = new ArrayList<>();
      for (String filter : engine.filters()) {
        SubscriptionOptions subscription = new SubscriptionOptions()
          .setFilter("$share/flowsdk-filter-" + options.getName() + "/" + filter)
          .setMaxInflight(options.getMaxInflight())
          .setBufferSize(options.getBufferSize());
        subscribed.add(bus.subscribe(subscription, message -> publishAll(bus, engine.apply(message, filter), forwardFailed)));
      }
      return Future.all(subscribed);
    });
  }

  private static Future<Void> publishAll(FlowBus bus, List<FlowMessage> forwards, Counter failed) {
    if (forwards.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<?>> published = new ArrayList<>(forwards.size());
    for (FlowMessage forward : forwards) {
      published.add(bus.publish(forward).onFailure(e -> failed.increment()));
    }
    return Future.all(published).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    if (engine != null) {
      engine.close();
    }
    if (forwardFailed != null) {
      registry.remove(forwardFailed);
    }
    return Future.succeededFuture();
  }
}
