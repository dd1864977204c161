package io.flowsdk.config;

/**
 * Options of a verticle that listens on a TCP port. A node finds them by one rule: the verticle
 * {@code a.b.FooVerticle} has its options in {@code a.b.FooOptions}, built from the verticle's
 * {@code config()} with a {@code JsonObject} constructor, whose JSON keys {@code host} and
 * {@code port} say where it listens. From them the node applies its port offset to the effective
 * port (default or not), refuses two listeners on one port and logs where to connect.
 */
public interface ListenerOptions {

  /** The interface listened on (JSON key {@code host}). */
  String getHost();

  /** The TCP port listened on, 0 for a free one (JSON key {@code port}). */
  int getPort();

  /** Whether the listener speaks TLS. */
  boolean isTls();

  /** The protocol clients speak to it, shown in the start log: {@code http}, {@code grpc}, {@code mqtt}. */
  String protocol();
}
