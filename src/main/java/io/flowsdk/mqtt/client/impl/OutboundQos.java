package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.PubAckReason;
import io.flowsdk.mqtt.client.PubCompReason;
import io.flowsdk.mqtt.client.PubRecReason;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.ReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;

/**
 * Outgoing publishes: the offline buffer, QoS 0 writes, the QoS 1/2 inflight window bounded by the
 * broker's Receive Maximum, acknowledgements and ack timeouts, and the session rules on reconnect
 * (resend with DUP and PUBREL when the session is present, report the loss when it is not).
 */
final class OutboundQos {

  private enum State { AWAITING_PUBACK, AWAITING_PUBREC, AWAITING_PUBCOMP }

  private static final PublishAck WRITTEN = new PublishAck(QoS.AT_MOST_ONCE, PubAckReason.SUCCESS, null, Collections.emptyList());

  private static final class Inflight {
    final PublishRequest request;
    final Promise<PublishAck> promise;
    final int packetId;
    State state;
    ReasonCode pubRecReason = PubRecReason.SUCCESS;
    long timer = -1;

    Inflight(PublishRequest request, Promise<PublishAck> promise, int packetId) {
      this.request = request;
      this.promise = promise;
      this.packetId = packetId;
      this.state = request.qos() == QoS.AT_LEAST_ONCE ? State.AWAITING_PUBACK : State.AWAITING_PUBREC;
    }
  }

  private final Timers timers;
  private final PacketIds packetIds;
  private final TopicAliasesOut aliases;
  private final PublishQueue queue;
  private final ClientMetrics metrics;
  private final long ackTimeoutMillis;
  private final boolean v5;
  private final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
  /** Inflight publishes of a resumed session not sent again yet: they wait for room in the broker's Receive Maximum. */
  private final ArrayDeque<Inflight> awaitingResend = new ArrayDeque<>();
  private PacketSink sink;
  private ConnAckInfo broker;

  OutboundQos(Timers timers, PacketIds packetIds, TopicAliasesOut aliases, PublishQueue queue, ClientMetrics metrics,
              long ackTimeoutMillis, boolean v5) {
    this.timers = timers;
    this.packetIds = packetIds;
    this.aliases = aliases;
    this.queue = queue;
    this.metrics = metrics;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.v5 = v5;
  }

  /** Queues the publish and sends what the window allows. */
  Future<PublishAck> publish(PublishRequest request) {
    Promise<PublishAck> promise = Promise.promise();
    for (PublishQueue.Entry dropped : queue.offer(new PublishQueue.Entry(request, promise, timers.nowMillis()))) {
      metrics.offlineDropped.increment();
      dropped.promise.tryFail(new FlowException(FlowError.OVERLOADED, "offline buffer full: dropped "
        + dropped.request + " (lowest priority first)"));
    }
    drain();
    return promise.future();
  }

  /**
   * A connection is up. With the session present, PUBRELs are repeated and unacknowledged publishes
   * are sent again (DUP) as far as this broker's Receive Maximum and limits allow (see {@link #drain});
   * without it they fail with DISCONNECTED and their count is returned.
   */
  int connected(PacketSink sink, ConnAckInfo broker) {
    this.sink = sink;
    this.broker = broker;
    int lost = 0;
    awaitingResend.clear();
    if (broker.sessionPresent()) {
      for (Inflight f : inflight.values()) {
        if (f.state == State.AWAITING_PUBCOMP) {
          sink.send(Packets.pubReply(MqttMessageType.PUBREL, f.packetId, 0));
        } else {
          awaitingResend.add(f);
        }
      }
    } else {
      lost = inflight.size();
      failAllInflight(FlowError.DISCONNECTED, "the broker did not resume the session: the message may or may not "
        + "have been delivered");
      metrics.sessionLost.increment(lost);
    }
    drain();
    return lost;
  }

  void disconnected() {
    sink = null;
  }

  /** Fails everything buffered and inflight: the client is closed or gave up reconnecting. */
  void shutdown(FlowError error, String why) {
    for (PublishQueue.Entry e : queue.drain()) {
      e.promise.tryFail(new FlowException(error, why + ": " + e.request + " was never sent"));
    }
    failAllInflight(error, why);
  }

  /**
   * Sends, while connected and writable, the resends of a resumed session first, then the buffer;
   * QoS 1/2 only within the broker's Receive Maximum.
   */
  void drain() {
    while (sink != null && sink.writable()) {
      Inflight resend = awaitingResend.peek();
      if (resend != null) {
        if (onWire() >= broker.receiveMaximum()) {
          return;
        }
        awaitingResend.poll();
        resend(resend);
        continue;
      }
      PublishQueue.Entry head = queue.peek();
      if (head == null) {
        return;
      }
      boolean needsWindow = head.request.qos() != QoS.AT_MOST_ONCE;
      if (needsWindow && onWire() >= broker.receiveMaximum()) {
        return;
      }
      queue.poll();
      send(head);
    }
  }

  private void send(PublishQueue.Entry e) {
    PublishRequest r = e.request;
    long expiry = expiry(r, e.enqueuedAt);
    if (expiry == 0) {
      metrics.expiredInBuffer.increment();
      e.promise.tryFail(new FlowException(FlowError.TIMEOUT, "message expiry ran out in the offline buffer: " + r));
      return;
    }
    String refusal = refusal(r);
    if (refusal != null) {
      e.promise.tryFail(new FlowException(refusal.startsWith("too large") ? FlowError.TOO_LARGE : FlowError.INVALID, refusal));
      return;
    }
    if (r.qos() == QoS.AT_MOST_ONCE) {
      TopicAliasesOut.Choice alias = alias(r);
      sink.send(Packets.publish(r, 0, false, v5, alias.topic(), alias.alias(), expiry));
      e.promise.tryComplete(WRITTEN);
      return;
    }
    int id;
    try {
      id = packetIds.acquire();
    } catch (FlowException full) {
      e.promise.tryFail(full);
      return;
    }
    // only now: an alias chosen for a publish that is not sent would never be announced to the broker
    TopicAliasesOut.Choice alias = alias(r);
    Inflight f = new Inflight(r, e.promise, id);
    inflight.put(id, f);
    f.timer = timers.schedule(ackTimeoutMillis, () -> {
      f.timer = -1;
      if (f.promise.tryFail(new FlowException(FlowError.TIMEOUT, "no " + (r.qos() == QoS.AT_LEAST_ONCE ? "PUBACK" : "PUBCOMP")
        + " within " + ackTimeoutMillis + " ms for " + r + "; it stays inflight and may still be delivered"))) {
        metrics.ackTimeouts.increment();
      }
    });
    sink.send(Packets.publish(r, id, false, v5, alias.topic(), alias.alias(), expiry));
  }

  private TopicAliasesOut.Choice alias(PublishRequest r) {
    return v5 ? aliases.choose(r.topic()) : new TopicAliasesOut.Choice(r.topic(), 0);
  }

  /**
   * Sends an inflight publish again (DUP, full topic) on a resumed session, unless the new broker's
   * limits (Maximum Packet Size, Maximum QoS, Retain Available) now forbid it: then it fails.
   */
  private void resend(Inflight f) {
    String refusal = refusal(f.request);
    if (refusal != null) {
      forget(f);
      f.promise.tryFail(new FlowException(refusal.startsWith("too large") ? FlowError.TOO_LARGE : FlowError.INVALID,
        "cannot send again on the resumed session (it may have been delivered before): " + refusal));
      return;
    }
    sink.send(Packets.publish(f.request, f.packetId, true, v5, f.request.topic(), 0, expiry(f.request, -1)));
  }

  /** QoS 1/2 publishes on the wire of this connection: what the broker's Receive Maximum limits. */
  private int onWire() {
    return inflight.size() - awaitingResend.size();
  }

  /** Remaining expiry to send: -1 for none, 0 when it ran out while buffered. */
  private long expiry(PublishRequest r, long enqueuedAt) {
    if (r.messageExpirySeconds() < 0) {
      return -1;
    }
    if (enqueuedAt < 0) {
      return r.messageExpirySeconds();
    }
    long elapsed = (timers.nowMillis() - enqueuedAt) / 1000;
    return Math.max(0, r.messageExpirySeconds() - elapsed);
  }

  /** Why the broker's capabilities forbid this publish, or null. */
  private String refusal(PublishRequest r) {
    if (r.qos().value() > broker.maximumQos().value()) {
      return "the broker's Maximum QoS is " + broker.maximumQos().value() + "; cannot publish " + r;
    }
    if (r.retain() && !broker.retainAvailable()) {
      return "the broker does not support retained messages; cannot publish " + r;
    }
    long size = estimatedSize(r, false);
    if (size > broker.maximumPacketSize()) {
      size = estimatedSize(r, true);
    }
    if (size > broker.maximumPacketSize()) {
      return "too large: " + r + " needs about " + size + " bytes, the broker's Maximum Packet Size is "
        + broker.maximumPacketSize();
    }
    return null;
  }

  /** The packet size: an upper bound from string lengths (3 bytes per char), or exact for the topic. */
  private static long estimatedSize(PublishRequest r, boolean exactTopic) {
    long topicBytes = exactTopic ? r.topic().getBytes(StandardCharsets.UTF_8).length : r.topic().length() * 3L;
    long size = 5 + 2 + topicBytes + 2 + r.payload().length();
    size += 4 + 16; // property length, expiry, alias, format indicator
    size += r.contentType() == null ? 0 : 3 + r.contentType().length() * 3L;
    size += r.responseTopic() == null ? 0 : 3 + r.responseTopic().length() * 3L;
    size += r.correlationData() == null ? 0 : 3 + r.correlationData().length();
    for (var h : r.userProperties()) {
      size += 5 + (h.name().length() + h.value().length()) * 3L;
    }
    return size;
  }

  void onPubAck(MqttMessage packet) {
    MqttPubReplyMessageVariableHeader h = (MqttPubReplyMessageVariableHeader) packet.variableHeader();
    Inflight f = inflight.get(h.messageId());
    if (f == null) {
      return; // an acknowledgement for a message already settled (for example after a session loss)
    }
    if (f.state != State.AWAITING_PUBACK) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "PUBACK for QoS 2 packet " + h.messageId());
    }
    PubAckReason reason = v5 ? PubAckReason.of(h.reasonCode() & 0xFF) : PubAckReason.SUCCESS;
    settle(f, reason, props(h));
  }

  void onPubRec(MqttMessage packet) {
    MqttPubReplyMessageVariableHeader h = (MqttPubReplyMessageVariableHeader) packet.variableHeader();
    Inflight f = inflight.get(h.messageId());
    if (f == null) {
      sink.send(Packets.pubReply(MqttMessageType.PUBREL, h.messageId(), PubCompReason.PACKET_IDENTIFIER_NOT_FOUND.code()));
      return;
    }
    if (f.state == State.AWAITING_PUBACK) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "PUBREC for QoS 1 packet " + h.messageId());
    }
    PubRecReason reason = v5 ? PubRecReason.of(h.reasonCode() & 0xFF) : PubRecReason.SUCCESS;
    if (reason.isError()) {
      settle(f, reason, props(h));
      return;
    }
    f.state = State.AWAITING_PUBCOMP;
    f.pubRecReason = reason;
    sink.send(Packets.pubReply(MqttMessageType.PUBREL, f.packetId, 0));
  }

  void onPubComp(MqttMessage packet) {
    MqttPubReplyMessageVariableHeader h = (MqttPubReplyMessageVariableHeader) packet.variableHeader();
    Inflight f = inflight.get(h.messageId());
    if (f == null) {
      return;
    }
    if (f.state != State.AWAITING_PUBCOMP) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "PUBCOMP before PUBREC for packet " + h.messageId());
    }
    PubCompReason reason = v5 ? PubCompReason.of(h.reasonCode() & 0xFF) : PubCompReason.SUCCESS;
    settle(f, reason.isError() ? reason : f.pubRecReason, props(h));
  }

  private static MqttProperties props(MqttPubReplyMessageVariableHeader h) {
    return h.properties() == null ? MqttProperties.NO_PROPERTIES : h.properties();
  }

  private void settle(Inflight f, ReasonCode reason, MqttProperties props) {
    forget(f);
    String reasonString = MqttProps.reasonString(props);
    if (reason.isError()) {
      f.promise.tryFail(new MqttException(reason, reasonString, "the broker refused " + f.request));
    } else {
      f.promise.tryComplete(new PublishAck(f.request.qos(), reason, reasonString, MqttProps.userProperties(props)));
    }
    drain();
  }

  private void failAllInflight(FlowError error, String why) {
    for (Inflight f : new ArrayList<>(inflight.values())) {
      forget(f);
      f.promise.tryFail(new FlowException(error, why + " (" + f.request + ")"));
    }
  }

  /** Ends the exchange of {@code f}: its packet id is free, its ack timer cancelled. */
  private void forget(Inflight f) {
    inflight.remove(f.packetId);
    awaitingResend.remove(f);
    packetIds.release(f.packetId);
    if (f.timer >= 0) {
      timers.cancel(f.timer);
    }
  }

  int inflightCount() {
    return inflight.size();
  }

  int bufferedCount() {
    return queue.size();
  }
}
