package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.mqtt.bridge.impl.BridgeMeters.Direction;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttFlowMessages;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * MQTT 5 requests from the broker served on the flow bus: each is sent with {@code FlowBus.request}
 * to the mapped address, and the answer — or an error reply (see {@link ReplyErrors}) — is published
 * to the request's Response Topic with its Correlation Data, at the request's QoS. The request is
 * acknowledged to the broker when it is handed to the bus: its outcome travels in the reply, and a
 * slow responder must not hold back the acknowledgements of the messages behind it. Runs on the
 * bridge's context only.
 */
public final class InboundRequests {

  private final FlowBus bus;
  private final MqttClient client;
  private final Duration timeout;
  private final int maxPending;
  private final FlowOrigin origin;
  private final BridgeMeters meters;
  private int pending;

  public InboundRequests(FlowBus bus, MqttClient client, long timeoutMillis, int maxPending, FlowOrigin origin,
                         BridgeMeters meters) {
    this.bus = bus;
    this.client = client;
    this.timeout = Duration.ofMillis(timeoutMillis);
    this.maxPending = maxPending;
    this.origin = origin;
    this.meters = meters;
  }

  public int pending() {
    return pending;
  }

  /** Serves one request arriving from the broker for {@code busAddress}. */
  public Future<Void> handle(String busAddress, InboundMessage request) {
    String responseTopic = request.responseTopic();
    if (responseTopic == null) {
      meters.dropped(BridgeMeters.DropReason.NO_RESPONSE_TOPIC);
      return Future.succeededFuture();
    }
    Future<FlowMessage> answer;
    if (pending >= maxPending) {
      answer = Future.failedFuture(new FlowException(FlowError.OVERLOADED, "the MQTT bridge has " + maxPending
        + " requests waiting for a bus responder already"));
    } else {
      pending++;
      answer = bus.request(busAddress, MqttFlowMessages.toFlowMessage(request, origin), timeout)
        .andThen(ar -> pending--);
    }
    answer.onComplete(ar -> {
      FlowException failure = ar.failed() ? FlowException.from(ar.cause()) : null;
      meters.request(Direction.INBOUND, failure == null ? null : failure.error());
      FlowMessage.Builder reply = failure == null ? ar.result().toBuilder().topic(responseTopic)
        : ReplyErrors.errorReply(responseTopic, failure);
      FlowMessage out = reply.qos(request.qos()).retain(false).responseTopic(null)
        .correlationData(request.correlationData()).build();
      client.publish(MqttFlowMessages.toPublishRequest(out))
        .onFailure(e -> meters.failed(Direction.OUTBOUND, FlowException.from(e).error()));
    });
    return Future.succeededFuture();
  }
}
