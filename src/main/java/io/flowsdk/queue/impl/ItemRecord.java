package io.flowsdk.queue.impl;

import io.vertx.core.buffer.Buffer;

/**
 * The stored form of a queue item, the same in both backends: seq (8), priority (1), attempts (4),
 * visibleAt (8), expiresAt (8, 0: never), payload. Immutable; each change is a new record.
 */
final class ItemRecord {

  static final int HEADER = 29;

  final long seq;
  final int priority;
  final int attempts;
  final long visibleAt;
  final long expiresAt;
  final Buffer payload;

  ItemRecord(long seq, int priority, int attempts, long visibleAt, long expiresAt, Buffer payload) {
    this.seq = seq;
    this.priority = priority;
    this.attempts = attempts;
    this.visibleAt = visibleAt;
    this.expiresAt = expiresAt;
    this.payload = payload;
  }

  boolean expired(long now) {
    return expiresAt > 0 && expiresAt <= now;
  }

  /** In flight: delivered and neither acknowledged nor given back, its visibility timeout still running. */
  boolean inFlight(int attempt, long now) {
    return attempts == attempt && attempt > 0 && visibleAt > now;
  }

  ItemRecord delivered(long invisibleUntil) {
    return new ItemRecord(seq, priority, attempts + 1, invisibleUntil, expiresAt, payload);
  }

  ItemRecord visibleAt(long at) {
    return new ItemRecord(seq, priority, attempts, at, expiresAt, payload);
  }

  Buffer encode() {
    return Buffer.buffer(HEADER + payload.length()).appendLong(seq).appendUnsignedByte((short) priority).appendInt(attempts)
      .appendLong(visibleAt).appendLong(expiresAt).appendBuffer(payload);
  }

  static ItemRecord decode(Buffer b) {
    return new ItemRecord(b.getLong(0), b.getUnsignedByte(8), b.getInt(9), b.getLong(13), b.getLong(21), b.getBuffer(HEADER, b.length()));
  }

  static ItemRecord decode(byte[] bytes) {
    return decode(Buffer.buffer(bytes));
  }

  /** The record without its payload: what an index needs. */
  static byte[] header(byte[] bytes) {
    return java.util.Arrays.copyOf(bytes, HEADER);
  }
}
