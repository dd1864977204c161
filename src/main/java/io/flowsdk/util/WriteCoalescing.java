package io.flowsdk.util;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One socket flush per event-loop turn on a connection instead of one per frame or packet.
 *
 * <p>Vert.x 5.0.7 flushes a channel after every write made outside that channel's own read: its HTTP/2
 * connection ({@code VertxHttp2ConnectionHandler.writeData/writeHeaders}) after every frame, a
 * {@code NetSocket} after every {@code write}/{@code writeMessage}, and offers no option to defer it.
 * Whatever one connection writes because another one read (a gateway delivery, a relay forwarding a
 * packet from its client socket to its stream, a broker's PUBLISH to a subscriber or its PUBACK once the
 * message is on the bus) is outside a read, so each cost a {@code writev} system call.
 * Netty's {@link FlushConsolidationHandler} at the head of the pipeline turns those flushes into one
 * task queued behind the event loop's pending work (or one every {@link #MAX_DEFERRED_FLUSHES} flushes,
 * or at once when the channel stops being writable, so backpressure and memory are unchanged). Inside a
 * read it leaves Vert.x's own deferral as it is.
 */
public final class WriteCoalescing {

  /** Flushes deferred at most before one is done at once: a long turn still sends as it goes. */
  public static final int MAX_DEFERRED_FLUSHES = 64;

  private WriteCoalescing() {
  }

  /** For {@code HttpServer.connectionHandler} or an HTTP client's connect handler: installs the coalescing on {@code connection}'s channel. */
  public static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase) {
      install(((ConnectionBase) connection).channelHandlerContext().pipeline());
    }
  }

  /** Installs the coalescing on {@code socket}'s channel; returns {@code socket}. */
  public static NetSocketInternal install(NetSocketInternal socket) {
    install(socket.channelHandlerContext().pipeline());
    return socket;
  }

  /** Installs the coalescing on the channel of {@code pipeline}. */
  public static void install(ChannelPipeline pipeline) {
    pipeline.addFirst(new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
  }
}
