package io.flowsdk.bus.impl;

import io.vertx.core.eventbus.MessageCodec;

/** A codec for an immutable type registered as a default codec: a local send passes the object itself. */
abstract class ImmutableCodec<T> implements MessageCodec<T, T> {

  private final String name;

  ImmutableCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
