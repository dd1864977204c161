package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.protocol.QuicSockets;
import io.micrometer.core.instrument.Counter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.impl.QuicMqttConnections;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * A QUIC listener of the broker: one UDP socket on one Vert.x event loop. Each QUIC connection may open
 * one bidirectional stream, which carries the whole MQTT connection ({@link QuicSockets}); vertx-mqtt's
 * server connection runs on it, so the broker's {@link Connection} (sessions, auth, limits) is the one
 * TCP clients get. The QUIC connection ends with its MQTT stream.
 */
final class QuicListener implements BrokerListener {

  /** Bytes a client may have in flight on its connection and on its MQTT stream before it waits for credit. */
  private static final long CONNECTION_WINDOW = 16L * 1024 * 1024;
  private static final long STREAM_WINDOW = 8L * 1024 * 1024;

  private final Channel udp;
  private final ChannelHandler codec;

  private QuicListener(Channel udp, ChannelHandler codec) {
    this.udp = udp;
    this.codec = codec;
  }

  /** Listens; each stream's pipeline goes to {@code onAccept} once vertx-mqtt's handlers are in. */
  static Future<QuicListener> start(VertxInternal vertx, MqttListenerOptions listener, MqttServerOptions mqtt,
                                    Handler<MqttEndpoint> endpoints, Consumer<ChannelPipeline> onAccept) {
    return QuicSockets.loadNative(vertx).compose(v -> listen(vertx, listener, mqtt, endpoints, onAccept));
  }

  private static Future<QuicListener> listen(VertxInternal vertx, MqttListenerOptions listener, MqttServerOptions mqtt,
                                             Handler<MqttEndpoint> endpoints, Consumer<ChannelPipeline> onAccept) {
    EventLoop loop = vertx.nettyEventLoopGroup().next();
    ContextInternal context = vertx.contextBuilder().withEventLoop(loop).build();
    Promise<QuicListener> started = context.promise();
    Counter handshakeFailures = FlowMetrics.registry(vertx).counter("flowsdk_mqtt_broker_quic_handshake_failures_total");
    ChannelHandler codec;
    try {
      codec = new QuicServerCodecBuilder()
        .sslContext(sslContext(listener))
        .maxIdleTimeout(listener.getQuicIdleTimeoutMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(CONNECTION_WINDOW)
        .initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
        .initialMaxStreamsBidirectional(1)
        .handler(new HandshakeFailures(handshakeFailures))
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            stream.closeFuture().addListener(f -> stream.parent().close()); // one connection, one MQTT session
            NetSocketInternal socket = QuicSockets.wrap(context, stream);
            QuicMqttConnections.serve(socket, mqtt, endpoints);
            onAccept.accept(socket.channelHandlerContext().pipeline());
          }
        })
        .build();
    } catch (RuntimeException e) { // unreadable certificate or key files
      return Future.failedFuture(new FlowException(FlowError.INVALID, "QUIC listener " + listener.getHost() + ":"
        + listener.getPort() + " cannot use its certificate " + listener.getTlsCertPath() + " and key "
        + listener.getTlsKeyPath() + ": " + e.getMessage(), e));
    }
    new Bootstrap()
      .group(loop)
      .channelFactory(() -> vertx.transport().datagramChannel())
      .handler(codec)
      .bind(new InetSocketAddress(listener.getHost(), listener.getPort()))
      .addListener(f -> {
        if (f.isSuccess()) {
          started.complete(new QuicListener(((ChannelFuture) f).channel(), codec));
        } else {
          started.fail(f.cause());
        }
      });
    return started.future();
  }

  private static QuicSslContext sslContext(MqttListenerOptions listener) {
    QuicSslContextBuilder builder = QuicSslContextBuilder.forServer(new File(listener.getTlsKeyPath()), null,
        new File(listener.getTlsCertPath()))
      .applicationProtocols(QuicSockets.ALPN)
      .earlyData(listener.isQuicEarlyData());
    switch (listener.getClientAuth()) {
      case REQUEST:
        builder.clientAuth(ClientAuth.OPTIONAL);
        break;
      case REQUIRED:
        builder.clientAuth(ClientAuth.REQUIRE);
        break;
      default:
        break;
    }
    if (listener.getTlsClientCaPath() != null) {
      builder.trustManager(new File(listener.getTlsClientCaPath()));
    }
    return builder.build();
  }

  @Override
  public int actualPort() {
    return ((InetSocketAddress) udp.localAddress()).getPort();
  }

  /** Closes every QUIC connection (each client is told at once) and then the UDP socket. */
  @Override
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    udp.eventLoop().execute(() -> {
      if (udp.pipeline().context(codec) != null) {
        udp.pipeline().remove(codec); // the codec closes its connections and flushes their CONNECTION_CLOSE
      }
      udp.close().addListener(f -> closed.complete());
    });
    return closed.future();
  }

  /**
   * Counts the connections whose TLS handshake failed (no common ALPN, a client certificate refused)
   * and keeps the failure from reaching the end of the pipeline.
   */
  @ChannelHandler.Sharable
  private static final class HandshakeFailures extends ChannelInboundHandlerAdapter {
    private final Counter count;

    HandshakeFailures(Counter count) {
      this.count = count;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
        count.increment();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!(cause instanceof SSLException)) {
        ctx.close(); // after a TLS failure quiche closes with the alert itself; closing now would not send it
      }
    }
  }
}
