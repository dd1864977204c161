package io.flowsdk.storage;

import io.vertx.core.buffer.Buffer;

/**
 * What a {@link FlowStore#update} function decided for a key: keep it as it is, put a new value, or
 * delete it, and the result to complete the update's future with.
 */
public final class StoreUpdate<T> {

  enum Kind { KEEP, PUT, DELETE }

  final Kind kind;
  final Buffer value;
  final T result;

  private StoreUpdate(Kind kind, Buffer value, T result) {
    this.kind = kind;
    this.value = value;
    this.result = result;
  }

  public static <T> StoreUpdate<T> keep(T result) {
    return new StoreUpdate<>(Kind.KEEP, null, result);
  }

  public static <T> StoreUpdate<T> put(Buffer value, T result) {
    return new StoreUpdate<>(Kind.PUT, value, result);
  }

  public static <T> StoreUpdate<T> delete(T result) {
    return new StoreUpdate<>(Kind.DELETE, null, result);
  }

  /** True when the update writes (put or delete), so its future waits for durability. */
  public boolean writes() {
    return kind != Kind.KEEP;
  }

  /** The new value of a put, else {@code null}. */
  public Buffer value() {
    return value;
  }

  /** True for a delete. */
  public boolean deletes() {
    return kind == Kind.DELETE;
  }

  public T result() {
    return result;
  }
}
