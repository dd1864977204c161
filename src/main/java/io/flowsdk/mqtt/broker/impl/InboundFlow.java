package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client-to-broker half of a session for QoS 1 and 2: enforces our Receive Maximum, recognises
 * a QoS 2 PUBLISH it already took (sent again after a cut connection) so it reaches the bus exactly
 * once, and sends acknowledgements in the order the PUBLISHes came (MQTT-4.6.0-2), each only once
 * the bus took the message. Acks go to whichever connection the session has when they are due. The
 * QoS 2 packet ids awaiting PUBREL are in the session's journal before their PUBREC goes out, so a
 * node that resumes the session after a takeover or a crash recognises them too.
 */
final class InboundFlow {

  /** Where acknowledgements go: the session's current connection. */
  interface Acks {
    void puback(int packetId, int reason);

    void pubrec(int packetId, int reason);

    void pubcomp(int packetId, int reason);

    /** The bus refused the message of {@code packetId}: answered with {@code reason} (MQTT 5) or by closing (3.1.1). */
    void refused(int packetId, int qos, int reason);
  }

  static final int PACKET_ID_NOT_FOUND = 0x92;

  private final int receiveMaximum;
  private final SessionJournal journal;
  private final Set<Integer> pending = new HashSet<>();
  private final Set<Integer> awaitingRelease = new HashSet<>();
  private Future<Void> lastAck = Future.succeededFuture();
  private Acks acks;

  InboundFlow(int receiveMaximum, SessionJournal journal) {
    this.receiveMaximum = receiveMaximum;
    this.journal = journal;
  }

  /** Takes back the QoS 2 packet ids awaiting PUBREL read from a journal (by packet id, their keys). */
  void restore(Map<Integer, String> journaled) {
    journaled.forEach((packetId, key) -> {
      awaitingRelease.add(packetId);
      journal.adoptAwaitingRelease(packetId, key);
    });
  }

  void attach(Acks acks) {
    this.acks = acks;
  }

  void detach(Acks acks) {
    if (this.acks == acks) {
      this.acks = null;
    }
  }

  /**
   * Whether a QoS 1/2 PUBLISH with {@code packetId} goes to the bus: false for a copy of one that is
   * on its way there or (QoS 2) already there, whose PUBREC is then sent again. Throws
   * {@link ProtocolViolation} (0x93) when it is one more than our Receive Maximum allows.
   */
  boolean admit(int packetId, int qos) {
    if (qos == 2 && awaitingRelease.contains(packetId)) {
      acks.pubrec(packetId, 0);
      return false;
    }
    if (pending.contains(packetId)) {
      return false;
    }
    if (pending.size() + awaitingRelease.size() >= receiveMaximum) {
      throw new ProtocolViolation(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
        "more than " + receiveMaximum + " QoS 1/2 publishes unacknowledged, our Receive Maximum");
    }
    pending.add(packetId);
    return true;
  }

  /**
   * Acknowledges {@code packetId} once {@code taken} succeeds with a reason code (0x00 or 0x10), or
   * refuses it when {@code taken} fails with {@code refusal}'s code; after the acks before it.
   */
  void complete(int packetId, int qos, Future<Integer> taken) {
    lastAck = lastAck.transform(previous -> taken.transform(outcome -> {
      pending.remove(packetId);
      if (outcome.succeeded() && qos == 2) {
        // remembered even without a connection: the client sends it again, and it must not reach the bus twice
        awaitingRelease.add(packetId);
        return journal.awaitingRelease(packetId).transform(stored -> {
          if (acks != null) {
            acks.pubrec(packetId, outcome.result());
          }
          return Future.succeededFuture();
        });
      }
      if (acks == null) {
        return Future.succeededFuture(); // the client sends it again on its next connection
      }
      if (outcome.failed()) {
        acks.refused(packetId, qos, ((RefusedPublish) outcome.cause()).reason());
      } else {
        acks.puback(packetId, outcome.result());
      }
      return Future.succeededFuture();
    }));
  }

  /** PUBREL: the QoS 2 exchange ends with PUBCOMP (0x92 for an id we do not hold). */
  void onPubrel(int packetId) {
    boolean known = awaitingRelease.remove(packetId);
    if (known) {
      journal.releasedByClient(packetId);
    }
    acks.pubcomp(packetId, known ? 0 : PACKET_ID_NOT_FOUND);
  }

  int unacknowledged() {
    return pending.size() + awaitingRelease.size();
  }
}
