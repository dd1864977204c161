package io.flowsdk.queue.impl;

import io.flowsdk.queue.PastDelivery;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a queue item, the same in both backends: a header of seq (8), priority (1),
 * attempts (4), visibleAt (8) and expiresAt (8, 0: never), then the payload's length (4) and the
 * payload, then one entry per delivery, oldest first: deliveredAt (8), endedAt (8) and how it ended
 * (1: {@link #OPEN} while the delivery may still be acknowledged). Immutable; each change is a new record.
 */
final class ItemRecord {

  static final int HEADER = 29;
  private static final int DELIVERY = 17;
  private static final byte OPEN = 0;
  private static final byte TIMED_OUT = 1;
  private static final byte NACKED = 2;

  final long seq;
  final int priority;
  final int attempts;
  final long visibleAt;
  final long expiresAt;
  final Buffer payload;
  /** The deliveries, {@link #DELIVERY} bytes each. */
  private final Buffer deliveries;

  ItemRecord(long seq, int priority, int attempts, long visibleAt, long expiresAt, Buffer payload) {
    this(seq, priority, attempts, visibleAt, expiresAt, payload, Buffer.buffer());
  }

  private ItemRecord(long seq, int priority, int attempts, long visibleAt, long expiresAt, Buffer payload, Buffer deliveries) {
    this.seq = seq;
    this.priority = priority;
    this.attempts = attempts;
    this.visibleAt = visibleAt;
    this.expiresAt = expiresAt;
    this.payload = payload;
    this.deliveries = deliveries;
  }

  boolean expired(long now) {
    return expiresAt > 0 && expiresAt <= now;
  }

  /** In flight: delivered and neither acknowledged nor given back, its visibility timeout still running. */
  boolean inFlight(int attempt, long now) {
    return attempts == attempt && attempt > 0 && visibleAt > now;
  }

  /** Delivered again at {@code now}, invisible until {@code invisibleUntil}; {@code recorded}: with an entry in its history. */
  ItemRecord delivered(long now, long invisibleUntil, boolean recorded) {
    Buffer history = recorded ? withLastEnded(visibleAt, TIMED_OUT).appendLong(now).appendLong(0).appendByte(OPEN) : deliveries;
    return new ItemRecord(seq, priority, attempts + 1, invisibleUntil, expiresAt, payload, history);
  }

  ItemRecord visibleAt(long at) {
    return new ItemRecord(seq, priority, attempts, at, expiresAt, payload, deliveries);
  }

  /** Given back at {@code now}, visible again at {@code at}; its delivery's history entry, if it has one, ends as nacked. */
  ItemRecord nacked(long now, long at) {
    return new ItemRecord(seq, priority, attempts, at, expiresAt, payload, withLastEnded(now, NACKED));
  }

  /** The dead letter of this record: undelivered and ready at {@code now}, its history closed (the last delivery timed out unless nacked). */
  ItemRecord deadLetter(long now) {
    return new ItemRecord(seq, priority, 0, now, expiresAt, payload, withLastEnded(visibleAt, TIMED_OUT));
  }

  /**
   * A copy of the history, its last delivery, if still open, ended at {@code at} as {@code ending}; a delivery not
   * acknowledged, nacked or extended ends when its visibility does ({@link #visibleAt}, {@link #TIMED_OUT}).
   */
  private Buffer withLastEnded(long at, byte ending) {
    Buffer history = deliveries.copy();
    if (lastIsOpen()) {
      history.setLong(history.length() - DELIVERY + 8, at).setByte(history.length() - 1, ending);
    }
    return history;
  }

  private boolean lastIsOpen() {
    return deliveries.length() > 0 && deliveries.getByte(deliveries.length() - 1) == OPEN;
  }

  /** The deliveries that ended, oldest first (not one still open). */
  List<PastDelivery> pastDeliveries() {
    List<PastDelivery> past = new ArrayList<>(deliveries.length() / DELIVERY);
    for (int at = 0; at < deliveries.length(); at += DELIVERY) {
      byte ending = deliveries.getByte(at + 16);
      if (ending != OPEN) {
        past.add(new PastDelivery(deliveries.getLong(at), deliveries.getLong(at + 8),
          ending == NACKED ? PastDelivery.Ending.NACKED : PastDelivery.Ending.TIMED_OUT));
      }
    }
    return past;
  }

  Buffer encode() {
    return Buffer.buffer(HEADER + 4 + payload.length() + deliveries.length()).appendLong(seq).appendUnsignedByte((short) priority)
      .appendInt(attempts).appendLong(visibleAt).appendLong(expiresAt).appendInt(payload.length()).appendBuffer(payload)
      .appendBuffer(deliveries);
  }

  /** Decodes a whole record, or only a {@link #header}: then without payload and history. */
  static ItemRecord decode(Buffer b) {
    boolean headerOnly = b.length() == HEADER;
    int payloadStart = headerOnly ? HEADER : HEADER + 4;
    int payloadEnd = headerOnly ? HEADER : payloadStart + b.getInt(HEADER);
    return new ItemRecord(b.getLong(0), b.getUnsignedByte(8), b.getInt(9), b.getLong(13), b.getLong(21),
      b.getBuffer(payloadStart, payloadEnd), b.getBuffer(payloadEnd, b.length()));
  }

  static ItemRecord decode(byte[] bytes) {
    return decode(Buffer.buffer(bytes));
  }

  /** The record without its payload and history: what an index needs. */
  static byte[] header(byte[] bytes) {
    return java.util.Arrays.copyOf(bytes, HEADER);
  }
}
