package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Future;

/**
 * Where a client's PUBLISH (or will) goes: onto the flow bus, and once the bus took it into the
 * retained store when it is retained. Completes with the MQTT 5 reason code for the acknowledgement
 * (0x00, or 0x10 no matching subscribers) or fails with {@link RefusedPublish} when the bus refused
 * the message itself ({@code TOO_LARGE}, {@code INVALID}, {@code NOT_AUTHORIZED}, {@code REFUSED},
 * {@code CANCELLED}, {@code INTERNAL}) or the retained store failed.
 */
final class Publisher {

  static final int SUCCESS = 0x00;
  static final int NO_MATCHING_SUBSCRIBERS = 0x10;

  private final FlowBus bus;
  private final RetainedStore retained;
  private final BrokerMeters meters;
  private final int maxRetained;

  Publisher(FlowBus bus, RetainedStore retained, BrokerMeters meters, int maxRetained) {
    this.bus = bus;
    this.retained = retained;
    this.meters = meters;
    this.maxRetained = maxRetained;
  }

  /**
   * Publishes {@code message}; a retained one for a new topic when the store is at its cap is
   * refused before it reaches the bus ({@code OVERLOADED}: MQTT 5 0x97 quota exceeded), but for the
   * broker's own {@code $SYS} topics (no client may publish there).
   */
  Future<Integer> publish(FlowMessage message) {
    if (!message.retain() || SysTopics.isBrokers(message.topic())) {
      return publishOnBus(message);
    }
    return retained.admits(message, maxRetained).recover(failure -> {
      meters.publishRefused(FlowError.INTERNAL);
      return Future.failedFuture(new RefusedPublish(failure));
    }).compose(admitted -> {
      if (admitted) {
        return publishOnBus(message);
      }
      meters.retainedRefused();
      return Future.failedFuture(new RefusedPublish(new FlowException(FlowError.OVERLOADED, "retained message on "
        + message.topic() + " refused: the broker holds its maximum of " + maxRetained + " retained messages")));
    });
  }

  private Future<Integer> publishOnBus(FlowMessage message) {
    return bus.publish(message)
      .map(result -> result.noSubscribers() ? NO_MATCHING_SUBSCRIBERS : SUCCESS)
      .recover(failure -> {
        FlowError error = FlowException.from(failure).error();
        if (isSubscriberFailure(error)) {
          meters.deliveryFailed(error);
          return Future.succeededFuture(SUCCESS);
        }
        meters.publishRefused(error);
        return Future.failedFuture(new RefusedPublish(failure));
      })
      .compose(reason -> message.retain() ? retain(message, reason) : Future.succeededFuture(reason));
  }

  private Future<Integer> retain(FlowMessage message, int reason) {
    return retained.retain(message).map(reason).recover(failure -> {
      meters.publishRefused(FlowError.INTERNAL);
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
