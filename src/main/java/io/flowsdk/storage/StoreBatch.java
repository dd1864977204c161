package io.flowsdk.storage;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Puts and deletes that {@link FlowStore#write} makes durable together: after a crash, all or none. */
public final class StoreBatch {

  private final List<Op> ops = new ArrayList<>();

  public StoreBatch put(String map, String key, Buffer value) {
    ops.add(new Op(map, key, value.getBytes()));
    return this;
  }

  public StoreBatch delete(String map, String key) {
    ops.add(new Op(map, key, null));
    return this;
  }

  /** The operations in order; a {@code null} value is a delete. */
  public List<Op> ops() {
    return ops;
  }

  /** One put ({@code value} set) or delete ({@code value} null). */
  public static final class Op {
    public final String map;
    public final String key;
    public final byte[] value;

    Op(String map, String key, byte[] value) {
      this.map = map;
      this.key = key;
      this.value = value;
    }
  }
}
