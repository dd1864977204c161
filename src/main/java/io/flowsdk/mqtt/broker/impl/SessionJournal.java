package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;

/**
 * Where a persistent session writes down its QoS 1/2 deliveries (queued, sent with a packet id,
 * released, done) and the client's QoS 2 packet ids awaiting PUBREL, so that another node can resume the session after a takeover or a crash. The
 * journal of a session that lives only in this node's memory ({@link #NONE}) writes nothing.
 */
interface SessionJournal {

  SessionJournal NONE = new SessionJournal() {
    @Override
    public Future<Void> added(Delivery delivery) {
      return Future.succeededFuture();
    }

    @Override
    public void adopt(Delivery delivery) {
    }

    @Override
    public void sent(Delivery delivery, int packetId, boolean released) {
    }

    @Override
    public void removed(Delivery delivery) {
    }

    @Override
    public Future<Void> awaitingRelease(int packetId) {
      return Future.succeededFuture();
    }

    @Override
    public void adoptAwaitingRelease(int packetId, String key) {
    }

    @Override
    public void releasedByClient(int packetId) {
    }

    @Override
    public Future<Void> flushed() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> forget() {
      return Future.succeededFuture();
    }
  };

  /** {@code delivery} was accepted (queued or sent); completes once it is stored, with its backup. */
  Future<Void> added(Delivery delivery);

  /** {@code delivery}, read back from the store on a resume, is this journal's to keep from now on. */
  void adopt(Delivery delivery);

  /** {@code delivery} went out as {@code packetId}; {@code released} once its PUBREC came. */
  void sent(Delivery delivery, int packetId, boolean released);

  /** {@code delivery} is done (acknowledged, dropped or expired). */
  void removed(Delivery delivery);

  /** The client's QoS 2 PUBLISH {@code packetId} reached the bus; completes once that is stored, with its backup. */
  Future<Void> awaitingRelease(int packetId);

  /** The client's QoS 2 {@code packetId}, read back from the store under {@code key} on a resume, is this journal's to keep. */
  void adoptAwaitingRelease(int packetId, String key);

  /** The client's PUBREL for {@code packetId} came: the exchange is over. */
  void releasedByClient(int packetId);

  /** Completes once every write made so far completed. */
  Future<Void> flushed();

  /** Deletes every delivery this journal holds (the session ended). */
  Future<Void> forget();
}
