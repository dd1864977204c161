package io.flowsdk.grpc.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a gRPC request body's chunks at the ends of its length-prefixed messages, so that each piece
 * handed on holds at most one message (or part of one). vertx-grpc 5.0.7's deframer
 * ({@code Http2GrpcMessageDeframer.next}) copies the rest of its buffer after every message it takes off
 * the front, so one HTTP/2 DATA frame of {@code n} small messages cost about {@code n²/2} message copies
 * (a stream of 64-byte publishes: up to 250 messages a frame). Given one message at a time it copies
 * nothing. The pieces are slices of the chunk; the bytes and their order are unchanged, so a message
 * larger than the limit or a truncated one is still the deframer's to answer.
 */
final class MessageBoundaries implements Handler<Buffer> {

  /** A gRPC message prefix: one flag byte, then the length as a 4-byte big-endian unsigned int. */
  static final int PREFIX_BYTES = 5;

  private final Handler<Buffer> next;
  /** Bytes of the current message's prefix seen so far, 0 to {@link #PREFIX_BYTES}. */
  private int prefixSeen;
  /** The length field while its bytes arrive, then the message bytes still to come. */
  private long remaining;

  MessageBoundaries(Handler<Buffer> next) {
    this.next = next;
  }

  @Override
  public void handle(Buffer chunk) {
    int length = chunk.length();
    int start = 0;
    int at = 0;
    while (at < length) {
      if (prefixSeen < PREFIX_BYTES) {
        if (prefixSeen > 0) {
          remaining = remaining << 8 | chunk.getUnsignedByte(at);
        }
        at++;
        prefixSeen++;
      } else {
        int take = (int) Math.min(remaining, length - at);
        at += take;
        remaining -= take;
      }
      if (prefixSeen == PREFIX_BYTES && remaining == 0) {
        next.handle(start == 0 && at == length ? chunk : chunk.slice(start, at));
        start = at;
        prefixSeen = 0;
      }
    }
    if (start < length) {
      next.handle(start == 0 ? chunk : chunk.slice(start, length));
    }
  }
}
