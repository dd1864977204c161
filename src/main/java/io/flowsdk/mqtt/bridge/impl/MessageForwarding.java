package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHandler;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.busrelay.VisitedClusters;
import io.flowsdk.mqtt.bridge.InboundFailurePolicy;
import io.flowsdk.mqtt.bridge.impl.BridgeMeters.Direction;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttFlowMessages;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.topic.TopicRewrite;
import io.vertx.core.Future;

/**
 * Publish/subscribe forwarding in both directions. Broker to bus: the message is published on the
 * bus under the rewritten topic with the bridge's origin, retried while the bus refuses it (see
 * {@link BusPublishRetry}), and its future — the broker's acknowledgement — completes only when the
 * bus publish did (for QoS 1/2: every subscriber took it). When the bus still does not take it, the
 * future fails with an {@link MqttException} (the client refuses the message with its reason code)
 * under {@link InboundFailurePolicy#REJECT} or for a failure no retry can cure, and otherwise with the
 * bus's {@link FlowException}: the client then leaves it unacknowledged for the broker to send again.
 * Bus to broker: the handler's future — the bus acknowledgement — is the client's publish future
 * (for QoS 1 the PUBACK, for QoS 2 the PUBCOMP).
 *
 * <p>Loop prevention between clusters ({@link VisitedClusters}): what goes to the broker is marked
 * with this cluster, and what comes back marked with it is acknowledged and dropped.
 */
public final class MessageForwarding {

  private final BusPublishRetry busPublish;
  private final InboundFailurePolicy failurePolicy;
  private final MqttClient client;
  private final FlowOrigin origin;
  private final String cluster;
  private final BridgeMeters meters;

  MessageForwarding(BusPublishRetry busPublish, InboundFailurePolicy failurePolicy, MqttClient client, FlowOrigin origin,
                    String cluster, BridgeMeters meters) {
    this.busPublish = busPublish;
    this.failurePolicy = failurePolicy;
    this.client = client;
    this.origin = origin;
    this.cluster = cluster;
    this.meters = meters;
  }

  /** Forwards a broker message on the bus; its future is the acknowledgement (see the class comment). */
  public Future<Void> toBus(TopicRewrite rewrite, InboundMessage message) {
    String topic = rewrite.apply(message.topic());
    if (topic == null) {
      meters.dropped(BridgeMeters.DropReason.UNMAPPABLE);
      return Future.failedFuture(new MqttException(PubAckReason.TOPIC_NAME_INVALID, null,
        "'" + message.topic() + "' has no valid name on the flow bus through " + rewrite));
    }
    FlowMessage flowMessage = MqttFlowMessages.toFlowMessage(message, topic, origin);
    if (VisitedClusters.visited(flowMessage, cluster)) {
      meters.dropped(BridgeMeters.DropReason.LOOP);
      return Future.succeededFuture();
    }
    return busPublish.publish(flowMessage).transform(ar -> {
      if (ar.succeeded()) {
        meters.forwarded(Direction.INBOUND, message.qos());
        return Future.succeededFuture();
      }
      FlowException failure = FlowException.from(ar.cause());
      meters.failed(Direction.INBOUND, failure.error());
      if (refuses(failure.error())) {
        return Future.failedFuture(new MqttException(pubAckReason(failure.error()), failure.getMessage(),
          "the flow bus did not take the message on '" + topic + "'"));
      }
      meters.leftForRedelivery();
      return Future.failedFuture(failure);
    });
  }

  /** A failure no retry cures (except the bus closing, which a redelivery after the restart does) is refused. */
  private boolean refuses(FlowError error) {
    return failurePolicy == InboundFailurePolicy.REJECT || !error.retriable() && error != FlowError.CANCELLED;
  }

  /** The bus handler of an outbound mapping. */
  public FlowHandler toBroker(TopicRewrite rewrite) {
    return message -> {
      String topic = rewrite.apply(message.topic());
      if (topic == null) {
        meters.dropped(BridgeMeters.DropReason.UNMAPPABLE);
        return Future.failedFuture(new FlowException(FlowError.INVALID, "'" + message.topic()
          + "' has no valid name at the broker through " + rewrite));
      }
      Future<PublishAck> published = client.publish(MqttFlowMessages.toPublishRequest(VisitedClusters.leaving(message, cluster),
        topic));
      meters.outboundPending(published);
      return published.transform(ar -> {
        if (ar.succeeded()) {
          meters.forwarded(Direction.OUTBOUND, message.qos());
          return Future.succeededFuture();
        }
        FlowException failure = FlowException.from(ar.cause());
        meters.failed(Direction.OUTBOUND, failure.error());
        return Future.failedFuture(failure);
      });
    };
  }

  private static PubAckReason pubAckReason(FlowError error) {
    switch (error) {
      case OVERLOADED:
        return PubAckReason.QUOTA_EXCEEDED;
      case NOT_AUTHORIZED:
        return PubAckReason.NOT_AUTHORIZED;
      case INVALID:
      case TOO_LARGE:
        return PubAckReason.IMPLEMENTATION_SPECIFIC_ERROR;
      default:
        return PubAckReason.UNSPECIFIED_ERROR;
    }
  }
}
