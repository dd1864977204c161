package io.flowsdk.grpc.impl;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One socket flush per event-loop turn on a gateway connection instead of one per HTTP/2 frame.
 *
 * <p>Vert.x 5.0.7's HTTP/2 connection ({@code VertxHttp2ConnectionHandler.writeData/writeHeaders})
 * flushes the channel after every frame written outside a socket read, and offers no option to defer
 * it; every subscriber delivery and every reply to a bus request is written outside a read, so each
 * cost a {@code writev} system call. Netty's {@link FlushConsolidationHandler} at the head of the
 * pipeline turns those flushes into one task queued behind the event loop's pending work (or one
 * every {@link #MAX_DEFERRED_FLUSHES} flushes, or at once when the channel stops being writable, so
 * backpressure and memory are unchanged). Inside a read it leaves Vert.x's own deferral as it is.
 */
final class WriteCoalescing {

  /** Flushes deferred at most before one is done at once: a long turn still sends as it goes. */
  static final int MAX_DEFERRED_FLUSHES = 64;

  private WriteCoalescing() {
  }

  /** For {@code HttpServer.connectionHandler}: installs the coalescing on {@code connection}'s channel. */
  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase) {
      ((ConnectionBase) connection).channelHandlerContext().pipeline()
        .addFirst(new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
    }
  }
}
