package io.flowsdk.storage;

import io.vertx.core.buffer.Buffer;

/** A key and its value, as a scan returns them. */
public final class StoreEntry {

  private final String key;
  private final Buffer value;

  public StoreEntry(String key, Buffer value) {
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public Buffer value() {
    return value;
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
