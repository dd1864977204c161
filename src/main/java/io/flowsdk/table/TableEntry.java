package io.flowsdk.table;

import io.vertx.core.buffer.Buffer;

/**
 * One entry of a {@link FlowTable}: its key, value and version. Versions of a key start at 1 and grow
 * by one with every change; a deleted key starts again at 1 (so a compare-and-set on a version from
 * before a delete can succeed on the new entry: compare values too where that matters).
 */
public final class TableEntry {

  private final String key;
  private final Buffer value;
  private final long version;
  private final long expiresAt;

  public TableEntry(String key, Buffer value, long version, long expiresAt) {
    this.key = key;
    this.value = value;
    this.version = version;
    this.expiresAt = expiresAt;
  }

  public String key() {
    return key;
  }

  public Buffer value() {
    return value;
  }

  public long version() {
    return version;
  }

  /** When the entry expires, in epoch milliseconds, or 0 for never. */
  public long expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return key + "@" + version + "=" + value;
  }
}
