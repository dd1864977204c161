package io.flowsdk.mqtt.protocol;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketImpl;
import io.vertx.core.net.impl.VertxHandler;

import java.net.InetSocketAddress;

/**
 * MQTT over QUIC, the wire convention EMQX and NanoMQ use: ALPN {@code mqtt}, and the whole MQTT
 * connection (CONNECT to DISCONNECT, both directions) on the first bidirectional stream the client
 * opens. Shared by the client's QUIC transport and the broker's QUIC listener.
 *
 * <p>A stream becomes a Vert.x socket the same way Vert.x makes a TCP connection one (a
 * {@link VertxHandler} named {@code handler} that creates a {@link NetSocketImpl}), so everything built
 * on a Vert.x socket (the client's sink, vertx-mqtt's server connection) runs on a QUIC stream
 * unchanged. This uses Vert.x 5.0.7's {@code net.impl} classes: re-check on a Vert.x upgrade.
 */
public final class QuicSockets {

  /** The ALPN protocol id of MQTT over QUIC. */
  public static final String ALPN = "mqtt";

  private QuicSockets() {
  }

  /**
   * Loads Netty's native QUIC library on a worker thread (it takes seconds the first time, too long for
   * an event loop). Fails with {@code INVALID} on a platform the library does not ship for.
   */
  public static Future<Void> loadNative(Vertx vertx) {
    return vertx.<Void>executeBlocking(() -> {
      Quic.ensureAvailability();
      return null;
    }).recover(e -> Future.failedFuture(new FlowException(FlowError.INVALID, "MQTT over QUIC needs Netty's native QUIC "
      + "library (netty-codec-native-quic for this platform; linux-x86_64 is bundled): " + e.getMessage(), e)));
  }

  /**
   * The stream as a socket of {@code context}, whose event loop must be the stream's own (so the
   * connection's state stays on one thread). Call on that event loop, before the stream is read. The
   * socket's remote and local addresses are the UDP ones of the QUIC connection when the stream opened
   * (a QUIC stream's own addresses are no socket addresses); after a migration the remote one is stale.
   */
  public static NetSocketInternal wrap(ContextInternal context, QuicStreamChannel stream) {
    if (context.nettyEventLoop() != stream.eventLoop()) {
      throw new IllegalArgumentException("the QUIC stream runs on another event loop than its context");
    }
    QuicChannel connection = stream.parent();
    if (connection.remoteSocketAddress() instanceof InetSocketAddress) {
      stream.attr(ConnectionBase.REMOTE_ADDRESS_OVERRIDE)
        .set(SocketAddress.inetSocketAddress((InetSocketAddress) connection.remoteSocketAddress()));
    }
    if (connection.localSocketAddress() instanceof InetSocketAddress) {
      stream.attr(ConnectionBase.LOCAL_ADDRESS_OVERRIDE)
        .set(SocketAddress.inetSocketAddress((InetSocketAddress) connection.localSocketAddress()));
    }
    VertxHandler<NetSocketImpl> handler = VertxHandler.create(ctx -> new NetSocketImpl(context, ctx, null, null, null, false));
    stream.pipeline().addLast("handler", handler);
    return handler.getConnection();
  }
}
