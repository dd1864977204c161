package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.FlowService;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.util.BoundedQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sessions this node serves, by client id. A CONNECT claims its client id in the cluster's
 * {@link SessionStore}; when another node served the session, that node is asked (on the flow bus,
 * at {@code flowsdk.mqtt.broker.sessions.<node>}) to hand it over: it disconnects its client (MQTT 5:
 * 0x8E), closes the session's subscriptions and finishes its journal writes; this node then reads
 * the session back from the store (subscriptions, queued and unacknowledged deliveries) and
 * subscribes again. A node that does not answer (it crashed) is not waited for beyond
 * {@code takeoverTimeoutMillis}: its sessions are in the store already, and a live node adopts them
 * when the cluster sees the node leave. Ends sessions when their
 * expiry runs out after the client left, and publishes wills when their delay (or the session) ends.
 */
final class Sessions {

  static final String ADDRESS_PREFIX = "flowsdk.mqtt.broker.sessions.";
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  /** A session open for a new connection, and whether it was there before (CONNACK Session Present). */
  static final class Opened {
    final Session session;
    final boolean present;

    Opened(Session session, boolean present) {
      this.session = session;
      this.present = present;
    }
  }

  private final Vertx vertx;
  private final FlowBus bus;
  private final SessionStore store;
  private final MqttBrokerOptions options;
  private final Subscriptions subscriptions;
  private final Consumer<Will> willPublisher;
  private final BrokerMeters meters;
  private final LongSupplier clock;
  private final SharedHandOn sharedHandOn;
  private final Map<String, Session> byClient = new HashMap<>();
  private FlowService handover;
  private boolean closing;

  Sessions(Vertx vertx, FlowBus bus, SessionStore store, MqttBrokerOptions options, Subscriptions subscriptions,
           Consumer<Will> willPublisher, BrokerMeters meters, LongSupplier clock) {
    this.vertx = vertx;
    this.bus = bus;
    this.store = store;
    this.options = options;
    this.subscriptions = subscriptions;
    this.willPublisher = willPublisher;
    this.meters = meters;
    this.clock = clock;
    this.sharedHandOn = new SharedHandOn(bus, meters);
  }

  /**
   * Adopts the sessions the store kept from an earlier run of this node, then serves hand-over
   * requests from other nodes, and adopts the sessions of nodes that leave.
   */
  Future<Void> start() {
    store.onNodeLeft(this::adoptOrphans);
    return adoptAll(store.leftByEarlierRun())
      .compose(v -> bus.serve(ADDRESS_PREFIX + bus.nodeId(), this::onHandOverRequest))
      .onSuccess(s -> handover = s).mapEmpty();
  }

  /**
   * A node left the cluster (it crashed, or stopped without handing its sessions on): the sessions
   * it served are adopted here, each by whichever live node claims it first, so their subscriptions
   * are on the bus again and their QoS 1/2 messages keep queueing until their clients return.
   */
  private void adoptOrphans(Set<String> liveNodes) {
    if (closing) {
      return;
    }
    store.orphans(liveNodes).compose(this::adoptAll)
      .onFailure(e -> log.warn("the sessions of the nodes that left not read: " + e.getMessage()));
  }

  /** Adopts each of {@code orphans} (client id to the node that served it); completes once each adoption ended, a failed one logged. */
  private Future<Void> adoptAll(Map<String, String> orphans) {
    List<Future<Void>> adopting = new ArrayList<>();
    orphans.forEach((clientId, node) -> adopting.add(adopt(clientId, node)
      .onFailure(e -> log.warn("the session of " + clientId + " left by node " + node + " not adopted: " + e.getMessage()))));
    return Future.join(adopting).transform(done -> Future.succeededFuture());
  }

  private Future<Void> adopt(String clientId, String node) {
    String epoch = UUID.randomUUID().toString();
    return store.adopt(clientId, node, new SessionRecord(bus.nodeId(), epoch, 0, 0, List.of())).compose(claim -> {
      if (claim == null || claim.previous.expirySeconds == 0) {
        return Future.succeededFuture(); // another node was first, or the session ended with its connection
      }
      SessionRecord previous = claim.previous;
      return store.journaled(clientId)
        .compose(stored -> build(clientId, epoch, claim.generation, previous.expirySeconds, previous.subscriptions, stored))
        .compose(this::confirm)
        .onSuccess(session -> detached(session, null))
        .mapEmpty();
    });
  }

  Session get(String clientId) {
    return byClient.get(clientId);
  }

  /** Subscriptions of all sessions of this node (for {@code $SYS}). */
  int subscriptionCount() {
    int count = 0;
    for (Session s : byClient.values()) {
      count += s.subscriptions.size();
    }
    return count;
  }

  /** Every session of this node, for the admin hook. */
  Collection<Session> all() {
    return byClient.values();
  }

  /**
   * The session a new connection of {@code clientId} serves from now on: the existing one unless
   * {@code cleanStart} (wherever in the cluster it is), else a new one (the old one ends). A pending
   * will or expiry of a resumed session is cancelled; a connection serving it is taken over. Fails
   * with {@code REFUSED} when a newer connection claimed the client id meanwhile, {@code INTERNAL}
   * when the store failed.
   */
  Future<Opened> open(String clientId, boolean cleanStart, long expirySeconds) {
    String epoch = UUID.randomUUID().toString();
    SessionRecord wanted = new SessionRecord(bus.nodeId(), epoch, 0, expirySeconds, List.of());
    return store.claim(clientId, wanted, !cleanStart).compose(claim -> {
      SessionRecord previous = claim.previous;
      Session here = byClient.get(clientId);
      if (!cleanStart && here != null && previous != null && here.epoch.equals(previous.epoch)) {
        if (here.connection != null) {
          here.connection.takenOver(false);
        }
        cancelTimers(here);
        here.epoch = epoch;
        here.generation = claim.generation;
        here.expirySeconds = expirySeconds;
        return Future.succeededFuture(new Opened(here, true));
      }
      boolean present = !cleanStart && previous != null;
      return release(clientId, previous, cleanStart)
        .compose(v -> cleanStart ? store.clearBefore(clientId, claim.generation).map(SessionStore.Journaled.EMPTY)
          : store.journaled(clientId))
        .compose(stored -> build(clientId, epoch, claim.generation, expirySeconds,
          present ? previous.subscriptions : List.of(), stored))
        .compose(this::confirm)
        .map(session -> new Opened(session, present));
    });
  }

  /** Stores the subscriptions of a persistent session, so that another node resumes it with them. */
  Future<Void> saveSubscriptions(Session session) {
    if (!session.persistent() || session.ended) {
      return Future.succeededFuture();
    }
    return store.update(session.clientId, session.record(bus.nodeId()), false).mapEmpty();
  }

  /**
   * Puts the shared subscriptions of {@code session} on stand-by while its client is away, and takes them off when
   * it is back: their groups' messages go to the members whose clients are connected, and reach an away session
   * only when no member's client is.
   */
  void standBy(Session session, boolean away) {
    for (SessionSubscription sub : session.subscriptions.values()) {
      if (sub.isShared()) {
        sub.bus.standBy(away).onFailure(e -> log.warn("shared subscription " + sub.filter + " of " + session.clientId
          + " not " + (away ? "put on" : "taken off") + " stand-by in the cluster's routes: " + e.getMessage()));
      }
    }
  }

  /**
   * {@code session}'s connection closed: a persistent session's shared subscriptions stand by, the QoS 1/2 messages
   * they hold go to other members of their groups (see {@link SharedHandOn}), its will (if the close was not a
   * normal DISCONNECT) goes out after its delay, and the session ends after its expiry; whichever is first.
   */
  void detached(Session session, Will will) {
    session.connection = null;
    session.outbound.detach();
    if (closing) {
      return; // the broker stops: no wills
    }
    if (session.ended) { // another connection took the session over and ended or moved it
      if (will != null) {
        willPublisher.accept(will);
      }
      return;
    }
    if (session.expirySeconds > 0) {
      standBy(session, true);
    }
    sharedHandOn.connectionEnded(session);
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
      store.update(session.clientId, session.record(bus.nodeId()), true)
        .onFailure(e -> log.warn("expiry of the session of " + session.clientId + " not stored: " + e.getMessage()));
      session.expiryTimer = vertx.setTimer(session.expirySeconds * 1000, t -> end(session));
    }
  }

  /**
   * Ends {@code session}: a will still waiting goes out now (MQTT 5, 3.1.2.5), its subscriptions
   * close, and its record and journal go, unless a newer connection claimed it meanwhile.
   */
  void end(Session session) {
    if (session.ended) {
      return;
    }
    Session.PendingWill pending = session.pendingWill;
    forgetHere(session);
    if (pending != null) {
      willPublisher.accept(pending.will);
    }
    session.outbound.clear();
    subscriptions.closeAll(session);
    store.remove(session.clientId, session.epoch)
      .compose(removed -> removed ? session.outbound.journal().forget() : Future.succeededFuture())
      .onFailure(e -> log.warn("the ended session of " + session.clientId + " not removed from the store: " + e.getMessage()));
  }

  /**
   * The broker stops: every session closes here without wills. A persistent one stays in the store
   * for another node to resume (with its expiry running from now); the others are removed.
   */
  Future<Void> closeAll() {
    closing = true;
    List<Future<?>> all = new ArrayList<>();
    for (Session s : byClient.values().toArray(new Session[0])) {
      forgetHere(s);
      all.add(subscriptions.closeAll(s));
      all.add(s.persistent() ? store.update(s.clientId, s.record(bus.nodeId()), true)
        .compose(v -> s.outbound.journal().flushed())
        : store.remove(s.clientId, s.epoch));
    }
    if (handover != null) {
      all.add(handover.close());
    }
    return Future.join(all).transform(done -> store.close());
  }

  private void forgetHere(Session session) {
    session.ended = true;
    cancelTimers(session);
    byClient.remove(session.clientId, session);
    meters.sessions(-1);
  }

  /** Has the node serving {@code previous} hand the session over; this node's own sessions directly. */
  private Future<Void> release(String clientId, SessionRecord previous, boolean cleanStart) {
    if (previous == null) {
      return Future.succeededFuture();
    }
    if (previous.node.equals(bus.nodeId())) {
      return releaseHere(clientId, previous.epoch, cleanStart);
    }
    FlowMessage request = FlowMessage.builder(ADDRESS_PREFIX + previous.node)
      .payload(new JsonObject().put("client", clientId).put("epoch", previous.epoch).put("cleanStart", cleanStart).toBuffer())
      .build();
    return bus.request(ADDRESS_PREFIX + previous.node, request, Duration.ofMillis(options.getTakeoverTimeoutMillis()))
      .<Void>mapEmpty()
      .recover(e -> {
        log.info("node " + previous.node + " did not hand the session of " + clientId + " over (" + e.getMessage()
          + "): resuming it from the store");
        return Future.succeededFuture();
      });
  }

  private Future<FlowMessage> onHandOverRequest(FlowMessage request) {
    JsonObject json = new JsonObject(request.payload());
    return releaseHere(json.getString("client"), json.getString("epoch"), json.getBoolean("cleanStart"))
      .map(v -> FlowMessage.builder(request.topic()).build());
  }

  /**
   * Hands this node's session of {@code clientId} over, if it still is the one of {@code epoch}: its
   * connection is taken over, its subscriptions close, and the future completes once its journal is
   * written, so the new owner reads every delivery it took.
   */
  private Future<Void> releaseHere(String clientId, String epoch, boolean cleanStart) {
    Session session = byClient.get(clientId);
    if (session == null || !session.epoch.equals(epoch)) {
      return Future.succeededFuture();
    }
    return handOver(session, cleanStart);
  }

  private Future<Void> handOver(Session session, boolean cleanStart) {
    Session.PendingWill pending = session.pendingWill;
    forgetHere(session);
    if (pending != null && cleanStart) {
      willPublisher.accept(pending.will); // the session ends; resumed, its will is cancelled
    }
    if (session.connection != null) {
      session.connection.takenOver(cleanStart);
    }
    return subscriptions.closeAll(session)
      .compose(v -> session.outbound.journal().flushed())
      .onComplete(done -> session.outbound.clear());
  }

  /** A session for this node from what the store holds: its deliveries back in place, its subscriptions open again. */
  private Future<Session> build(String clientId, String epoch, long generation, long expirySeconds,
                                List<SessionSubscription> subs, SessionStore.Journaled stored) {
    SessionJournal journal = expirySeconds > 0 ? store.journal(clientId, generation) : SessionJournal.NONE;
    // the bus subscriptions' policy: under DROP_LOWEST_PRIORITY the oldest of the lowest priority goes
    // (the arriving one only when every queued one outranks it), so among equals fresh data wins as
    // under the default DROP_OLDEST
    BoundedQueue<Delivery> queue = new BoundedQueue<>(options.getMaxQueuedMessages(),
      options.getQueueOverflowPolicy().victim(), d -> d.message.priority());
    Session session = new Session(clientId, new FlowOrigin(bus.nodeId(), BrokerMessages.ADAPTER, clientId),
      new OutboundFlow(options.getMaxInflight(), options.isQueueBackpressure(), queue, meters, clock, journal), new InboundFlow(options.getReceiveMaximum(), journal));
    session.epoch = epoch;
    session.generation = generation;
    session.expirySeconds = expirySeconds;
    session.outbound.restore(stored.deliveries);
    session.inbound.restore(stored.awaitingRelease);
    List<Future<Boolean>> subscribing = new ArrayList<>();
    for (SessionSubscription sub : subs) {
      subscribing.add(subscriptions.subscribe(session, sub)
        .onFailure(e -> log.warn("subscription " + sub.filter + " of the resumed session of " + clientId
          + " not opened again: " + e.getMessage())));
    }
    return Future.join(subscribing).transform(done -> Future.succeededFuture(session));
  }

  /**
   * Registers {@code session} here unless a newer connection claimed its client id while it was
   * built: then it is undone, and the connection is refused as taken over. Its journal stays: the
   * deliveries in it are the client id's, which the newer owner reads (or clears on a clean start).
   */
  private Future<Session> confirm(Session session) {
    return store.get(session.clientId).compose(record -> {
      if (record == null || !record.epoch.equals(session.epoch)) {
        session.ended = true;
        return subscriptions.closeAll(session)
          .compose(v -> session.outbound.journal().flushed())
          .transform(done -> Future.failedFuture(new FlowException(FlowError.REFUSED,
            "the session of " + session.clientId + " was taken over by a newer connection while this one connected")));
      }
      Session stale = byClient.put(session.clientId, session);
      meters.sessions(1);
      if (stale != null) {
        handOver(stale, false);
      }
      return Future.succeededFuture(session);
    });
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
