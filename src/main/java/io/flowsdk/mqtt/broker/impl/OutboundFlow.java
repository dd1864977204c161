package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.impl.BrokerMeters.DropReason;
import io.flowsdk.mqtt.protocol.MqttPacketSize;
import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The broker-to-client half of a session: packet ids, the in-flight window (the smaller of our
 * {@code maxInflight} and the client's Receive Maximum), the bounded queue behind it, and the
 * resend of unacknowledged PUBLISHes (DUP) and PUBRELs when the client comes back. It outlives
 * connections: {@link #attach} and {@link #detach} follow the client.
 */
final class OutboundFlow {

  /** A QoS 1/2 delivery sent and not yet completed; {@code released} once its PUBREC came. */
  private static final class Inflight {
    final OutgoingPublish publish;
    boolean released;

    Inflight(OutgoingPublish publish) {
      this.publish = publish;
    }
  }

  private final int maxInflight;
  private final SessionQueue queue;
  private final BrokerMeters meters;
  private final LongSupplier clock;
  private final Map<Integer, Inflight> inflight = new LinkedHashMap<>();
  private ClientLink link;
  private int window;
  private long maxPacketSize;
  private int lastPacketId;

  OutboundFlow(int maxInflight, SessionQueue queue, BrokerMeters meters, LongSupplier clock) {
    this.maxInflight = maxInflight;
    this.queue = queue;
    this.meters = meters;
    this.clock = clock;
  }

  /**
   * The client is connected through {@code link}: unacknowledged PUBLISHes go again with DUP set
   * and acknowledged-but-unreleased ones get their PUBREL, in their original order, then the queue
   * drains into the window.
   */
  void attach(ClientLink link, int clientReceiveMaximum, long clientMaxPacketSize) {
    this.link = link;
    this.window = Math.min(maxInflight, clientReceiveMaximum);
    this.maxPacketSize = clientMaxPacketSize;
    for (Map.Entry<Integer, Inflight> e : inflight.entrySet()) {
      if (e.getValue().released) {
        link.pubrel(e.getKey());
      } else {
        link.publish(e.getValue().publish.asDuplicate());
      }
    }
    drain();
  }

  /** The connection is gone; deliveries queue until the next {@link #attach}. */
  void detach() {
    link = null;
  }

  /** Sends {@code delivery} now if the window allows, else queues it (QoS 0 for an absent client is dropped). */
  void deliver(Delivery delivery) {
    if (delivery.message.isExpired(clock.getAsLong())) {
      meters.dropped(DropReason.EXPIRED);
    } else if (link == null && delivery.qos == 0) {
      meters.dropped(DropReason.OFFLINE);
    } else if (link != null && queue.isEmpty() && inflight.size() < window) {
      send(delivery);
    } else {
      Delivery dropped = queue.offer(delivery);
      if (dropped != null) {
        meters.dropped(DropReason.QUEUE_FULL);
      }
    }
  }

  /** PUBACK for {@code packetId}; an unknown id (a late duplicate ack) is ignored. */
  void onPuback(int packetId) {
    Inflight entry = inflight.get(packetId);
    if (entry != null && entry.publish.qos == 1) {
      inflight.remove(packetId);
      drain();
    }
  }

  /** PUBREC for {@code packetId}: answered with PUBREL, or, with an error reason, the delivery ends. */
  void onPubrec(int packetId, boolean error) {
    Inflight entry = inflight.get(packetId);
    if (entry == null || entry.publish.qos != 2 || entry.released) {
      return;
    }
    if (error) {
      inflight.remove(packetId);
      drain();
      return;
    }
    entry.released = true;
    link.pubrel(packetId);
  }

  /** PUBCOMP for {@code packetId}: the QoS 2 delivery is complete. */
  void onPubcomp(int packetId) {
    Inflight entry = inflight.get(packetId);
    if (entry != null && entry.released) {
      inflight.remove(packetId);
      drain();
    }
  }

  int inflightCount() {
    return inflight.size();
  }

  int queuedCount() {
    return queue.size();
  }

  /** Forgets every delivery (the session ended). */
  void clear() {
    inflight.clear();
    queue.clear();
  }

  private void drain() {
    while (link != null && inflight.size() < window && !queue.isEmpty()) {
      Delivery next = queue.poll();
      if (next.message.isExpired(clock.getAsLong())) {
        meters.dropped(DropReason.EXPIRED);
      } else {
        send(next);
      }
    }
  }

  private void send(Delivery delivery) {
    if (!link.mayReceive(delivery.message.topic())) {
      meters.denied(MqttAclRuleOptions.Access.RECEIVE);
      return;
    }
    MqttProperties props = link.mqtt5() ? BrokerMessages.properties(delivery, clock.getAsLong()) : MqttProperties.NO_PROPERTIES;
    long size = MqttPacketSize.publish(delivery.message.topic(), delivery.message.payload().length(), delivery.qos,
      props, link.mqtt5());
    if (size > maxPacketSize) {
      meters.dropped(DropReason.TOO_LARGE);
      return;
    }
    int packetId = delivery.qos == 0 ? 0 : nextPacketId();
    OutgoingPublish publish = new OutgoingPublish(packetId, delivery.message.topic(), delivery.message.payload(),
      delivery.qos, delivery.retain, false, props);
    if (delivery.qos > 0) {
      inflight.put(packetId, new Inflight(publish));
    }
    meters.sent(delivery.qos);
    meters.sentBytes(size);
    link.publish(publish);
  }

  /** The next id not in flight; the window (at most 65535) guarantees one is free. */
  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId));
    return lastPacketId;
  }
}
