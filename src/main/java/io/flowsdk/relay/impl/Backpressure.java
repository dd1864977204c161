package io.flowsdk.relay.impl;

import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The flow control of every relay direction (client socket → stream, stream → client socket, stream → broker
 * socket, broker socket → stream): after a write fills the writer, the side feeding it pauses until it drains,
 * so nothing buffers without bound.
 */
final class Backpressure {

  private Backpressure() {
  }

  /** Pauses {@code source} (counted) when {@code out}, just written to, is full, and resumes it once it drained. */
  static void pauseIfFull(WriteStream<?> out, ReadStream<?> source, RelayMetrics metrics) {
    if (out.writeQueueFull()) {
      metrics.paused();
      source.pause();
      out.drainHandler(v -> source.resume());
    }
  }
}
