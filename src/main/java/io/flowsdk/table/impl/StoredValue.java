package io.flowsdk.table.impl;

import io.flowsdk.table.TableEntry;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/** A table value as stored (embedded store or Hazelcast): version (8 bytes), expiry (8 bytes), payload. */
final class StoredValue {

  final long version;
  final long expiresAt;
  final byte[] payload;

  StoredValue(long version, long expiresAt, byte[] payload) {
    this.version = version;
    this.expiresAt = expiresAt;
    this.payload = payload;
  }

  /** The stored bytes, or {@code null} (absent or expired at {@code nowMillis}) for {@code null}. */
  static StoredValue decode(byte[] bytes, long nowMillis) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long version = b.getLong();
    long expiresAt = b.getLong();
    if (expiresAt != 0 && expiresAt <= nowMillis) {
      return null;
    }
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new StoredValue(version, expiresAt, payload);
  }

  /** The version in stored bytes, expired or not. */
  static long versionOf(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  byte[] encode() {
    return ByteBuffer.allocate(16 + payload.length).putLong(version).putLong(expiresAt).put(payload).array();
  }

  TableEntry entry(String key) {
    return new TableEntry(key, Buffer.buffer(payload), version, expiresAt);
  }
}
