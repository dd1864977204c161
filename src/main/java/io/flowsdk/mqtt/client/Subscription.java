package io.flowsdk.mqtt.client;

import io.flowsdk.bus.QoS;
import io.flowsdk.topic.Topics;

import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its MQTT 5 subscription options. Shared subscriptions are
 * filters of the form {@code $share/group/filter}. The options other than QoS are not sent to an
 * MQTT 3.1.1 broker.
 *
 * @param filter            a valid topic filter
 * @param qos               the maximum QoS to receive with
 * @param noLocal           do not receive our own publishes on this filter
 * @param retainAsPublished keep the retain flag of forwarded messages as the publisher set it
 * @param retainHandling    when retained messages are sent
 */
public record Subscription(String filter, QoS qos, boolean noLocal, boolean retainAsPublished,
                           RetainHandling retainHandling) {

  /** Validates the filter ({@link io.flowsdk.FlowError#INVALID} when it is not a valid filter). */
  public Subscription {
    Topics.validateFilter(filter);
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(retainHandling, "retainHandling");
  }

  /** A subscription with default options: no No Local, no Retain As Published, retained messages sent. */
  public static Subscription of(String filter, QoS qos) {
    return new Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
  }

  public Subscription withNoLocal(boolean noLocal) {
    return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
  }

  public Subscription withRetainAsPublished(boolean retainAsPublished) {
    return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
  }

  public Subscription withRetainHandling(RetainHandling retainHandling) {
    return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
  }
}
