package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.mqtt.bridge.RequestMapping;
import io.flowsdk.mqtt.bridge.impl.BridgeMeters.Direction;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttFlowMessages;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.util.PendingReplies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Bus requests sent to the broker as MQTT 5 requests: each gets this bridge's reply topic as Response
 * Topic and a fresh 8-byte Correlation Data, and waits (bounded in number and time) for the reply
 * with that correlation. A request the broker acknowledges with "no matching subscribers" fails at
 * once with {@code NO_ROUTE}. Runs on the bridge's context only.
 */
public final class OutboundRequests {

  private final MqttClient client;
  private final String replyTopic;
  private final long timeoutMillis;
  private final int maxPending;
  private final FlowOrigin origin;
  private final BridgeMeters meters;
  private final PendingReplies<FlowMessage> pending;

  public OutboundRequests(Vertx vertx, MqttClient client, String replyTopic, long timeoutMillis, int maxPending,
                          FlowOrigin origin, BridgeMeters meters) {
    this.client = client;
    this.replyTopic = replyTopic;
    this.timeoutMillis = timeoutMillis;
    this.maxPending = maxPending;
    this.origin = origin;
    this.meters = meters;
    this.pending = new PendingReplies<>(vertx, timeoutMillis);
  }

  /** The topic replies arrive on. */
  public String replyTopic() {
    return replyTopic;
  }

  public int pending() {
    return pending.size();
  }

  /** Sends {@code request} to the broker topic of {@code mapping}; completes with the reply. */
  public Future<FlowMessage> request(RequestMapping mapping, FlowMessage request) {
    if (pending.size() >= maxPending) {
      return finished(Future.failedFuture(new FlowException(FlowError.OVERLOADED, "the MQTT bridge has " + maxPending
        + " requests waiting for a reply already")));
    }
    PendingReplies.Waiting<FlowMessage> waiting = pending.add(() -> new FlowException(FlowError.TIMEOUT,
      "no reply on '" + mapping.getBroker() + "' within " + timeoutMillis + " ms"));
    long correlation = waiting.id();
    Buffer correlationData = Buffer.buffer(8).appendLong(correlation);
    FlowMessage out = request.toBuilder()
      .topic(mapping.getBroker())
      .qos(mapping.getQos())
      .responseTopic(replyTopic)
      .correlationData(correlationData)
      .build();
    client.publish(MqttFlowMessages.toPublishRequest(out)).onComplete(ar -> {
      if (ar.failed()) {
        pending.complete(correlation, Future.failedFuture(FlowException.from(ar.cause())));
      } else if (ar.result().reasonCode() == PubAckReason.NO_MATCHING_SUBSCRIBERS) {
        pending.complete(correlation, Future.failedFuture(new FlowException(FlowError.NO_ROUTE,
          "nobody at the broker subscribes to '" + mapping.getBroker() + "'")));
      }
    });
    return finished(waiting.reply());
  }

  /** A message arrived on the reply topic: completes the request it answers. */
  public Future<Void> reply(InboundMessage message) {
    Buffer data = message.correlationData();
    FlowMessage reply = MqttFlowMessages.toFlowMessage(message, origin);
    FlowException failure = ReplyErrors.failureOf(reply);
    boolean answered = data != null && data.length() == 8
      && pending.complete(data.getLong(0), failure == null ? Future.succeededFuture(reply) : Future.failedFuture(failure));
    if (!answered) {
      meters.dropped(BridgeMeters.DropReason.UNKNOWN_REPLY);
    }
    return Future.succeededFuture();
  }

  /** Fails every pending request with {@code CANCELLED}. */
  public void close() {
    pending.failAll(new FlowException(FlowError.CANCELLED, "the MQTT bridge stopped"));
  }

  private Future<FlowMessage> finished(Future<FlowMessage> answer) {
    return answer.andThen(ar -> meters.request(Direction.OUTBOUND, ar.succeeded() ? null : FlowException.from(ar.cause()).error()));
  }
}
