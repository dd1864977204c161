package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.impl.BrokerMeters.DropReason;
import io.flowsdk.mqtt.protocol.MqttPacketSize;
import io.flowsdk.util.BoundedQueue;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The broker-to-client half of a session: packet ids, the in-flight window (the smaller of our
 * {@code maxInflight} and the client's Receive Maximum), the bounded queue behind it, and the
 * resend of unacknowledged PUBLISHes (DUP) and PUBRELs when the client comes back, and the
 * retained messages new subscriptions are owed, pulled from their {@link RetainedFeed}s behind the
 * queue as the window and the connection's writability allow. It outlives connections:
 * {@link #attach} and {@link #detach} follow the client.
 */
final class OutboundFlow {

  /**
   * A QoS 1/2 delivery sent and not yet completed; {@code released} once its PUBREC came. One read
   * back from a journal has no {@code publish} until it is sent again (its properties depend on the
   * client's protocol version).
   */
  private static final class Inflight {
    final Delivery delivery;
    OutgoingPublish publish;
    boolean released;

    Inflight(Delivery delivery, OutgoingPublish publish) {
      this.delivery = delivery;
      this.publish = publish;
    }
  }

  /**
   * A QoS 1/2 delivery that found the queue of a connected client full, under {@code queueBackpressure}:
   * its handler's future, and so its publisher's acknowledgement, waits for {@code room} in the queue.
   * The bus subscription's in-flight bound caps how many wait.
   */
  private record Held(Delivery delivery, Promise<Void> room) {
  }

  private final int maxInflight;
  private final boolean backpressure;
  private final BoundedQueue<Delivery> queue;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final BrokerMeters meters;
  private final LongSupplier clock;
  private final SessionJournal journal;
  private final Map<Integer, Inflight> inflight = new LinkedHashMap<>();
  private final ArrayDeque<RetainedFeed> feeds = new ArrayDeque<>();
  private ClientLink link;
  private int window;
  private long maxPacketSize;
  private int lastPacketId;

  OutboundFlow(int maxInflight, boolean backpressure, BoundedQueue<Delivery> queue, BrokerMeters meters, LongSupplier clock,
               SessionJournal journal) {
    this.maxInflight = maxInflight;
    this.backpressure = backpressure;
    this.queue = queue;
    this.meters = meters;
    this.clock = clock;
    this.journal = journal;
  }

  SessionJournal journal() {
    return journal;
  }

  /**
   * Takes back deliveries read from a journal, in their order: sent ones are in flight again under
   * their packet ids (sent again with DUP, or their PUBREL, on {@link #attach}), the others queue.
   */
  void restore(Iterable<StoredDelivery> stored) {
    for (StoredDelivery s : stored) {
      journal.adopt(s.delivery);
      if (s.packetId > 0 && !inflight.containsKey(s.packetId)) {
        Inflight entry = new Inflight(s.delivery, null);
        entry.released = s.released;
        inflight.put(s.packetId, entry);
        lastPacketId = Math.max(lastPacketId, s.packetId);
      } else {
        enqueue(s.delivery);
      }
    }
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
      Inflight entry = e.getValue();
      if (entry.released) {
        link.pubrel(e.getKey());
      } else {
        sendAgain(e.getKey(), entry);
      }
    }
    drain();
  }

  /**
   * The connection is gone; deliveries queue until the next {@link #attach}, except those their
   * source settles (queue items), which end unacknowledged now so their queue hands them out again.
   */
  void detach() {
    link = null;
    for (Held h; (h = held.poll()) != null; ) { // with nobody to read them the queue's policy decides
      enqueue(h.delivery);
      h.room.complete();
    }
    inflight.values().removeIf(entry -> settledElsewhere(entry.delivery));
    queue.removeIf(OutboundFlow::settledElsewhere);
  }

  /**
   * Takes out, in order, the QoS 1/2 deliveries that came through a shared subscription and may go
   * to another member of its group: those sent at QoS 1 and not acknowledged, and the queued ones. A
   * QoS 2 delivery once sent stays: it must be completed with this client or not at all (MQTT 5,
   * 4.8.2-5). They stay in the journal until {@link #handedOn} or {@link #giveBack}.
   */
  List<StoredDelivery> takeShared() {
    List<StoredDelivery> taken = new ArrayList<>();
    inflight.entrySet().removeIf(e -> {
      Delivery d = e.getValue().delivery;
      boolean mayGo = d.sharedFilter != null && d.qos == 1;
      if (mayGo) {
        taken.add(new StoredDelivery(d, e.getKey(), false));
      }
      return mayGo;
    });
    queue.removeIf(d -> {
      boolean mayGo = d.sharedFilter != null && d.qos > 0;
      if (mayGo) {
        taken.add(new StoredDelivery(d, 0, false));
      }
      return mayGo;
    });
    return taken;
  }

  /** {@code delivery}, from {@link #takeShared}, went to another member of its group: this session is done with it. */
  void handedOn(Delivery delivery) {
    journal.removed(delivery);
  }

  /**
   * Puts back deliveries from {@link #takeShared} that no other member took, in their order before
   * what is queued. A sent one is in flight again under its packet id: while the client is away it is sent
   * again with DUP on {@link #attach}; if the client came back while the hand-on was under way, it is sent
   * again with DUP now, as the resume would have (MQTT-4.4.0-1), when its id is free and the client's window
   * has room. Otherwise it queues.
   */
  void giveBack(List<StoredDelivery> taken) {
    List<Delivery> toQueue = new ArrayList<>();
    for (StoredDelivery s : taken) {
      boolean wasSent = s.packetId > 0 && !inflight.containsKey(s.packetId);
      if (wasSent && link == null) {
        inflight.put(s.packetId, new Inflight(s.delivery, null));
      } else if (wasSent && inflight.size() < window) {
        Inflight entry = new Inflight(s.delivery, null);
        inflight.put(s.packetId, entry);
        sendAgain(s.packetId, entry);
      } else {
        toQueue.add(s.delivery);
      }
    }
    for (int i = toQueue.size() - 1; i >= 0; i--) {
      queue.addFirst(toQueue.get(i));
    }
    drain();
  }

  /** Sends the unacknowledged PUBLISH in flight under {@code packetId} again, with DUP. */
  private void sendAgain(int packetId, Inflight entry) {
    if (entry.publish == null) {
      entry.publish = publishOf(entry.delivery, packetId);
    }
    link.publish(entry.publish.asDuplicate());
  }

  private static boolean settledElsewhere(Delivery delivery) {
    if (delivery.settlement == null) {
      return false;
    }
    delivery.settlement.ended(Delivery.Ending.GIVEN_BACK);
    return true;
  }

  /** {@code delivery} is done: out of the journal, and its source told how it ended. */
  private void ended(Delivery delivery, Delivery.Ending ending) {
    journal.removed(delivery);
    if (delivery.settlement != null) {
      delivery.settlement.ended(ending);
    }
  }

  /**
   * Sends {@code delivery} now if the window allows, else queues it (QoS 0 for an absent client is
   * dropped). Completes once a QoS 1/2 delivery is in the session's journal.
   */
  Future<Void> deliver(Delivery delivery) {
    if (delivery.message.isExpired(clock.getAsLong())) {
      meters.dropped(DropReason.EXPIRED);
      return Future.succeededFuture();
    }
    if (link == null && delivery.qos == 0) {
      meters.dropped(DropReason.OFFLINE);
      return Future.succeededFuture();
    }
    Future<Void> written = delivery.qos == 0 || delivery.settlement != null ? Future.succeededFuture() : journal.added(delivery);
    if (link != null && queue.isEmpty() && inflight.size() < window) {
      send(delivery);
    } else if (backpressure && link != null && (queue.isFull() || !held.isEmpty())) {
      return hold(delivery, written);
    } else {
      enqueue(delivery);
    }
    return written;
  }

  /**
   * A full queue of a connected client under backpressure: a QoS 1/2 delivery waits for room, a QoS 0
   * one is dropped rather than displacing one that waits for its acknowledgement.
   */
  private Future<Void> hold(Delivery delivery, Future<Void> written) {
    if (delivery.qos == 0) {
      meters.dropped(DropReason.QUEUE_FULL);
      return written;
    }
    Promise<Void> room = Promise.promise();
    held.add(new Held(delivery, room));
    meters.publisherHeld();
    return Future.all(written, room.future()).mapEmpty();
  }

  /** Moves held deliveries into the queue as it makes room, releasing their publishers. */
  private void admitHeld() {
    while (!held.isEmpty() && !queue.isFull()) {
      Held h = held.poll();
      queue.offer(h.delivery);
      h.room.complete();
    }
  }

  /** Sends the retained messages of {@code feed}, after what is queued, as fast as the client takes them. */
  void feed(RetainedFeed feed) {
    feeds.add(feed);
    drain();
  }

  /** The connection can take more writes again. */
  void writable() {
    drain();
  }

  private void enqueue(Delivery delivery) {
    Delivery dropped = queue.offer(delivery);
    if (dropped != null) {
      meters.dropped(DropReason.QUEUE_FULL);
      ended(dropped, Delivery.Ending.GIVEN_BACK);
    }
  }

  /** PUBACK for {@code packetId}; an unknown id (a late duplicate ack) is ignored. */
  void onPuback(int packetId) {
    Inflight entry = inflight.get(packetId);
    if (entry != null && entry.delivery.qos == 1) {
      inflight.remove(packetId);
      ended(entry.delivery, Delivery.Ending.ACKNOWLEDGED);
      drain();
    }
  }

  /** PUBREC for {@code packetId}: answered with PUBREL, or, with an error reason, the delivery ends. */
  void onPubrec(int packetId, boolean error) {
    Inflight entry = inflight.get(packetId);
    if (entry == null || entry.delivery.qos != 2 || entry.released) {
      return;
    }
    if (error) {
      inflight.remove(packetId);
      journal.removed(entry.delivery);
      drain();
      return;
    }
    entry.released = true;
    journal.sent(entry.delivery, packetId, true);
    link.pubrel(packetId);
  }

  /** PUBCOMP for {@code packetId}: the QoS 2 delivery is complete. */
  void onPubcomp(int packetId) {
    Inflight entry = inflight.get(packetId);
    if (entry != null && entry.released) {
      inflight.remove(packetId);
      journal.removed(entry.delivery);
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
    inflight.values().forEach(entry -> settledElsewhere(entry.delivery));
    queue.forEach(OutboundFlow::settledElsewhere);
    for (Held h; (h = held.poll()) != null; ) {
      settledElsewhere(h.delivery);
      h.room.complete();
    }
    inflight.clear();
    queue.clear();
    feeds.clear();
  }

  private void drain() {
    while (link != null && inflight.size() < window && !queue.isEmpty()) {
      Delivery next = queue.poll();
      admitHeld();
      if (next.message.isExpired(clock.getAsLong())) {
        meters.dropped(DropReason.EXPIRED);
        ended(next, Delivery.Ending.GIVEN_BACK);
      } else {
        send(next);
      }
    }
    drainFeeds();
  }

  /**
   * Retained messages go once the queue is empty, each only while the window has room and the
   * connection's write queue is not full (QoS 0 has no window: the socket paces it); acknowledgements,
   * a drained write queue and each batch read call {@link #drain} again.
   */
  private void drainFeeds() {
    while (link != null && queue.isEmpty() && !feeds.isEmpty() && inflight.size() < window && link.writable()) {
      RetainedFeed feed = feeds.peek();
      Delivery next = feed.peek(this::drain);
      if (next == null) {
        if (!feed.done()) {
          return; // its next batch is being read
        }
        feeds.poll();
      } else {
        feed.poll();
        deliver(next);
      }
    }
  }

  private void send(Delivery delivery) {
    if (!link.mayReceive(delivery.message.topic())) {
      meters.denied(MqttAclRuleOptions.Access.RECEIVE);
      ended(delivery, Delivery.Ending.REFUSED);
      return;
    }
    OutgoingPublish publish = publishOf(delivery, 0);
    long size = MqttPacketSize.publish(publish.topic, publish.payload.length(), publish.qos, publish.properties, link.mqtt5());
    if (size > maxPacketSize) {
      meters.dropped(DropReason.TOO_LARGE);
      ended(delivery, Delivery.Ending.REFUSED);
      return;
    }
    if (delivery.qos > 0) {
      publish = publish.withPacketId(nextPacketId());
      inflight.put(publish.packetId, new Inflight(delivery, publish));
      journal.sent(delivery, publish.packetId, false);
    }
    meters.sent(delivery.qos);
    meters.sentBytes(size);
    link.publish(publish);
  }

  private OutgoingPublish publishOf(Delivery delivery, int packetId) {
    MqttProperties props = link.mqtt5() ? BrokerMessages.properties(delivery, clock.getAsLong()) : MqttProperties.NO_PROPERTIES;
    return new OutgoingPublish(packetId, delivery.message.topic(), delivery.message.payload(), delivery.qos,
      delivery.retain, false, props);
  }

  /** The next id not in flight; the window (at most 65535) guarantees one is free. */
  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId));
    return lastPacketId;
  }
}
