package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.SubAckReason;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.SubscribeResult;
import io.flowsdk.mqtt.client.Subscription;
import io.flowsdk.mqtt.client.UnsubAckReason;
import io.flowsdk.mqtt.client.UnsubscribeResult;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SUBSCRIBE and UNSUBSCRIBE: capability checks, sending, and waiting for SUBACK / UNSUBACK with ack
 * timeouts. Connection-scoped: pending requests fail when the connection ends.
 */
final class PendingRequests {

  private static final class Pending {
    final boolean subscribe;
    final List<String> filters;
    final Promise<?> promise;
    long timer = -1;

    Pending(boolean subscribe, List<String> filters, Promise<?> promise) {
      this.subscribe = subscribe;
      this.filters = filters;
      this.promise = promise;
    }
  }

  private final Timers timers;
  private final PacketIds packetIds;
  private final ClientMetrics metrics;
  private final long ackTimeoutMillis;
  private final boolean v5;
  private final Map<Integer, Pending> pending = new HashMap<>();

  PendingRequests(Timers timers, PacketIds packetIds, ClientMetrics metrics, long ackTimeoutMillis, boolean v5) {
    this.timers = timers;
    this.packetIds = packetIds;
    this.metrics = metrics;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.v5 = v5;
  }

  /** Checks {@code request} against the broker's capabilities, sends SUBSCRIBE and completes on SUBACK. */
  Future<SubscribeResult> subscribe(PacketSink sink, ConnAckInfo broker, SubscribeRequest request) {
    List<String> filters = new ArrayList<>(request.subscriptions().size());
    for (Subscription s : request.subscriptions()) {
      if (v5 && SharedFilter.isShared(s.filter()) && !broker.sharedSubscriptionAvailable()) {
        return Future.failedFuture(new FlowException(FlowError.INVALID, "the broker does not support shared subscriptions"));
      }
      if (v5 && Topics.hasWildcard(s.filter()) && !broker.wildcardSubscriptionAvailable()) {
        return Future.failedFuture(new FlowException(FlowError.INVALID, "the broker does not support wildcard subscriptions"));
      }
      filters.add(s.filter());
    }
    if (v5 && request.subscriptionIdentifier() > 0 && !broker.subscriptionIdentifiersAvailable()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "the broker does not support subscription identifiers"));
    }
    Promise<SubscribeResult> promise = Promise.promise();
    try {
      int id = add(true, filters, promise);
      sink.send(Packets.subscribe(request, id, v5));
    } catch (FlowException e) {
      promise.tryFail(e);
    }
    return promise.future();
  }

  /** Sends UNSUBSCRIBE for valid filters and completes on UNSUBACK. */
  Future<UnsubscribeResult> unsubscribe(PacketSink sink, List<String> filters) {
    if (filters.isEmpty()) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "an UNSUBSCRIBE needs at least one filter"));
    }
    Promise<UnsubscribeResult> promise = Promise.promise();
    try {
      filters.forEach(Topics::validateFilter);
      int id = add(false, List.copyOf(filters), promise);
      sink.send(Packets.unsubscribe(filters, id));
    } catch (FlowException e) {
      promise.tryFail(e);
    }
    return promise.future();
  }

  /** Registers a request under a new packet id and returns the id. */
  private int add(boolean subscribe, List<String> filters, Promise<?> promise) {
    int id = packetIds.acquire();
    Pending p = new Pending(subscribe, filters, promise);
    pending.put(id, p);
    p.timer = timers.schedule(ackTimeoutMillis, () -> {
      p.timer = -1;
      if (pending.remove(id) != null) {
        packetIds.release(id);
        metrics.ackTimeouts.increment();
        p.promise.tryFail(new FlowException(FlowError.TIMEOUT, "no " + (subscribe ? "SUBACK" : "UNSUBACK") + " within "
          + ackTimeoutMillis + " ms for " + filters));
      }
    });
    return id;
  }

  void onSubAck(MqttMessage packet) {
    Pending p = take(packet, true);
    try {
      completeSubscribe(p, packet);
    } catch (ProtocolViolation v) {
      p.promise.tryFail(new MqttException(v.reason(), v.getMessage(), "invalid SUBACK"));
      throw v;
    }
  }

  void onUnsubAck(MqttMessage packet) {
    Pending p = take(packet, false);
    try {
      completeUnsubscribe(p, packet);
    } catch (ProtocolViolation v) {
      p.promise.tryFail(new MqttException(v.reason(), v.getMessage(), "invalid UNSUBACK"));
      throw v;
    }
  }

  @SuppressWarnings("unchecked")
  private void completeSubscribe(Pending p, MqttMessage packet) {
    MqttSubAckPayload payload = (MqttSubAckPayload) packet.payload();
    List<Integer> codes = payload.reasonCodes();
    if (codes.size() != p.filters.size()) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "SUBACK has " + codes.size() + " reason codes for "
        + p.filters.size() + " filters");
    }
    List<SubAckReason> reasons = new ArrayList<>(codes.size());
    for (int c : codes) {
      if (!v5 && c > 2 && c != 0x80) {
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "SUBACK return code 0x" + Integer.toHexString(c)
          + " is not one of MQTT 3.1.1 (0x00, 0x01, 0x02, 0x80; MQTT-3.9.3-2)");
      }
      reasons.add(subAck(c));
    }
    MqttProperties props = props(packet);
    ((Promise<SubscribeResult>) p.promise).tryComplete(new SubscribeResult(p.filters, Collections.unmodifiableList(reasons),
      MqttProps.reasonString(props), MqttProps.userProperties(props)));
  }

  @SuppressWarnings("unchecked")
  private void completeUnsubscribe(Pending p, MqttMessage packet) {
    List<UnsubAckReason> reasons = new ArrayList<>(p.filters.size());
    MqttUnsubAckPayload payload = (MqttUnsubAckPayload) packet.payload();
    if (v5) {
      List<Short> codes = payload == null ? Collections.emptyList() : payload.unsubscribeReasonCodes();
      if (codes.size() != p.filters.size()) {
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "UNSUBACK has " + codes.size()
          + " reason codes for " + p.filters.size() + " filters");
      }
      for (short c : codes) {
        reasons.add(unsubAck(c & 0xFF));
      }
    } else {
      p.filters.forEach(f -> reasons.add(UnsubAckReason.SUCCESS));
    }
    MqttProperties props = props(packet);
    ((Promise<UnsubscribeResult>) p.promise).tryComplete(new UnsubscribeResult(p.filters,
      Collections.unmodifiableList(reasons), MqttProps.reasonString(props), MqttProps.userProperties(props)));
  }

  /** The connection is gone: nothing pending will be answered. */
  void failAll(FlowException cause) {
    List<Map.Entry<Integer, Pending>> all = new ArrayList<>(pending.entrySet());
    pending.clear();
    for (Map.Entry<Integer, Pending> e : all) {
      packetIds.release(e.getKey());
      if (e.getValue().timer >= 0) {
        timers.cancel(e.getValue().timer);
      }
      e.getValue().promise.tryFail(cause);
    }
  }

  private Pending take(MqttMessage packet, boolean subscribe) {
    int id = ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    Pending p = pending.get(id);
    if (p == null || p.subscribe != subscribe) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, (subscribe ? "SUBACK" : "UNSUBACK")
        + " for packet id " + id + ", which has no pending " + (subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE"));
    }
    pending.remove(id);
    packetIds.release(id);
    if (p.timer >= 0) {
      timers.cancel(p.timer);
    }
    return p;
  }

  private static MqttProperties props(MqttMessage packet) {
    Object h = packet.variableHeader();
    if (h instanceof MqttMessageIdAndPropertiesVariableHeader) {
      MqttProperties p = ((MqttMessageIdAndPropertiesVariableHeader) h).properties();
      return p == null ? MqttProperties.NO_PROPERTIES : p;
    }
    return MqttProperties.NO_PROPERTIES;
  }

  private static SubAckReason subAck(int code) {
    try {
      return SubAckReason.of(code);
    } catch (FlowException e) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
    }
  }

  private static UnsubAckReason unsubAck(int code) {
    try {
      return UnsubAckReason.of(code);
    } catch (FlowException e) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
    }
  }
}
