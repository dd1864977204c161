package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Future;

/**
 * Where a client's PUBLISH (or will) goes: onto the flow bus, which has a retained one stored by the
 * node's {@link RetainedStore} (the one place retained messages are set, whoever publishes them).
 * Completes with the MQTT 5 reason code for the acknowledgement (0x00, or 0x10 no matching
 * subscribers) or fails with {@link RefusedPublish} when the bus refused the message itself
 * ({@code TOO_LARGE}, {@code INVALID}, {@code NOT_AUTHORIZED}, {@code REFUSED}, {@code CANCELLED},
 * {@code INTERNAL}, a retained cap's {@code OVERLOADED}) or the retained store failed.
 */
final class Publisher {

  static final int SUCCESS = 0x00;
  static final int NO_MATCHING_SUBSCRIBERS = 0x10;

  private final FlowBus bus;
  private final BrokerMeters meters;

  Publisher(FlowBus bus, BrokerMeters meters) {
    this.bus = bus;
    this.meters = meters;
  }

  Future<Integer> publish(FlowMessage message) {
    return bus.publish(message)
      .map(result -> result.noSubscribers() ? NO_MATCHING_SUBSCRIBERS : SUCCESS)
      .recover(failure -> {
        if (failure instanceof RetainedStore.Refused) { // counted by the store
          return Future.failedFuture(new RefusedPublish(failure));
        }
        FlowError error = FlowException.from(failure).error();
        if (isSubscriberFailure(error)) {
          meters.deliveryFailed(error);
          return Future.succeededFuture(SUCCESS);
        }
        meters.publishRefused(error);
        return Future.failedFuture(new RefusedPublish(failure));
      });
  }

  /**
   * The bus took the message but a subscriber did not (it was slow, stuck or went away): the
   * publisher is not to blame, as with any MQTT broker, so it is acknowledged and the failure counted.
   */
  private static boolean isSubscriberFailure(FlowError error) {
    return error == FlowError.OVERLOADED || error == FlowError.TIMEOUT || error == FlowError.DISCONNECTED
      || error == FlowError.NO_ROUTE;
  }
}
