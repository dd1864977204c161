package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.QoS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A SUBSCRIBE: one or more {@link Subscription}s, an optional subscription identifier (MQTT 5: the
 * broker tags each matching message with it, see {@link InboundMessage#subscriptionIdentifiers()})
 * and user properties. Built with {@link #builder()}; a request always has at least one filter.
 */
public final class SubscribeRequest {

  private final List<Subscription> subscriptions;
  private final int subscriptionIdentifier;
  private final List<FlowHeader> userProperties;

  private SubscribeRequest(Builder b) {
    this.subscriptions = Collections.unmodifiableList(new ArrayList<>(b.subscriptions));
    this.subscriptionIdentifier = b.subscriptionIdentifier;
    this.userProperties = Collections.unmodifiableList(new ArrayList<>(b.userProperties));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A request for one filter with default options. */
  public static SubscribeRequest of(String filter, QoS qos) {
    return builder().add(filter, qos).build();
  }

  public List<Subscription> subscriptions() {
    return subscriptions;
  }

  /** The subscription identifier (1..268435455), or 0 when none is set. */
  public int subscriptionIdentifier() {
    return subscriptionIdentifier;
  }

  public List<FlowHeader> userProperties() {
    return userProperties;
  }

  /** Builds a {@link SubscribeRequest}. */
  public static final class Builder {
    private final List<Subscription> subscriptions = new ArrayList<>();
    private int subscriptionIdentifier;
    private final List<FlowHeader> userProperties = new ArrayList<>(0);

    private Builder() {
    }

    /** Adds a filter with default options. */
    public Builder add(String filter, QoS qos) {
      return add(Subscription.of(filter, qos));
    }

    public Builder add(Subscription subscription) {
      subscriptions.add(subscription);
      return this;
    }

    /** 1..268435455; 0 removes it. */
    public Builder subscriptionIdentifier(int id) {
      if (id < 0 || id > 268_435_455) {
        throw new FlowException(FlowError.INVALID, "subscription identifier must be 1..268435455, not " + id);
      }
      this.subscriptionIdentifier = id;
      return this;
    }

    public Builder userProperty(String name, String value) {
      userProperties.add(new FlowHeader(name, value));
      return this;
    }

    /** The request; fails with {@link FlowError#INVALID} when no filter was added. */
    public SubscribeRequest build() {
      if (subscriptions.isEmpty()) {
        throw new FlowException(FlowError.INVALID, "a SUBSCRIBE needs at least one filter");
      }
      return new SubscribeRequest(this);
    }
  }
}
