package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sessions of this node by client id: opens or resumes one on CONNECT, ends it when its expiry
 * runs out after the client left, and publishes wills when their delay (or the session) ends.
 */
final class Sessions {

  private final Vertx vertx;
  private final String nodeId;
  private final MqttBrokerOptions options;
  private final Subscriptions subscriptions;
  private final Consumer<Will> willPublisher;
  private final BrokerMeters meters;
  private final LongSupplier clock;
  private final Map<String, Session> byClient = new HashMap<>();
  private boolean closing;

  Sessions(Vertx vertx, String nodeId, MqttBrokerOptions options, Subscriptions subscriptions,
           Consumer<Will> willPublisher, BrokerMeters meters, LongSupplier clock) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.options = options;
    this.subscriptions = subscriptions;
    this.willPublisher = willPublisher;
    this.meters = meters;
    this.clock = clock;
  }

  Session get(String clientId) {
    return byClient.get(clientId);
  }

  /** Every session of this node, for the admin hook. */
  Collection<Session> all() {
    return byClient.values();
  }

  /**
   * The session {@code connection} serves from now on: the existing one unless {@code cleanStart},
   * else a new one (the old one ends). A pending will or expiry of a resumed session is cancelled.
   */
  Session open(String clientId, boolean cleanStart, long expirySeconds) {
    Session existing = byClient.get(clientId);
    if (existing != null && cleanStart) {
      end(existing);
      existing = null;
    }
    Session session = existing;
    if (session == null) {
      SessionQueue queue = new SessionQueue(options.getMaxQueuedMessages(), options.getQueueOverflowPolicy());
      session = new Session(clientId, new FlowOrigin(nodeId, BrokerMessages.ADAPTER, clientId),
        new OutboundFlow(options.getMaxInflight(), queue, meters, clock), new InboundFlow(options.getReceiveMaximum()));
      byClient.put(clientId, session);
      meters.sessions(1);
    }
    cancelTimers(session);
    session.expirySeconds = expirySeconds;
    return session;
  }

  /**
   * {@code session}'s connection closed: its will (if the close was not a normal DISCONNECT) goes
   * out after its delay, and the session ends after its expiry; whichever is first.
   */
  void detached(Session session, Will will) {
    session.connection = null;
    session.outbound.detach();
    if (closing) {
      return; // the broker stops: no wills
    }
    if (session.ended) { // a clean start took the session over and ended it
      if (will != null) {
        willPublisher.accept(will);
      }
      return;
    }
    if (will != null) {
      long delay = Math.min(will.delaySeconds, session.expirySeconds);
      if (delay == 0) {
        willPublisher.accept(will);
      } else {
        long timer = vertx.setTimer(delay * 1000, t -> {
          session.pendingWill = null;
          willPublisher.accept(will);
        });
        session.pendingWill = new Session.PendingWill(will, timer);
      }
    }
    if (session.expirySeconds == 0) {
      end(session);
    } else {
      session.expiryTimer = vertx.setTimer(session.expirySeconds * 1000, t -> end(session));
    }
  }

  /** Ends {@code session}: a will still waiting goes out now (MQTT 5, 3.1.2.5), its subscriptions close. */
  void end(Session session) {
    if (session.ended) {
      return;
    }
    session.ended = true;
    Session.PendingWill pending = session.pendingWill;
    cancelTimers(session);
    if (pending != null) {
      willPublisher.accept(pending.will);
    }
    byClient.remove(session.clientId, session);
    meters.sessions(-1);
    session.outbound.clear();
    subscriptions.closeAll(session);
  }

  /** Ends every session without wills (the broker stops); connections closing after this send none either. */
  void closeAll() {
    closing = true;
    for (Session s : byClient.values().toArray(new Session[0])) {
      cancelTimers(s);
      end(s);
    }
  }

  private void cancelTimers(Session session) {
    if (session.expiryTimer >= 0) {
      vertx.cancelTimer(session.expiryTimer);
      session.expiryTimer = -1;
    }
    if (session.pendingWill != null) {
      vertx.cancelTimer(session.pendingWill.timer);
      session.pendingWill = null;
    }
  }
}
