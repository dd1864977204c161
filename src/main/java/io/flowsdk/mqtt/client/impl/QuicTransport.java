package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.QuicException;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.mqtt.protocol.QuicSockets;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.SslEarlyDataReadyEvent;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * MQTT over QUIC ({@link QuicSockets}: ALPN {@code mqtt}, one bidirectional stream). Each connection
 * gets a UDP socket of its own and runs on the client's event loop, so the session state machine sees
 * the same single thread as over TCP. The TLS context lives as long as the transport: its session
 * cache holds the tickets a reconnect resumes with, in 0-RTT when {@code quicZeroRtt} is on.
 */
final class QuicTransport implements Transport {

  /** Bytes in flight per connection and on the MQTT stream before the peer must wait for credit. */
  private static final long CONNECTION_WINDOW = 16L * 1024 * 1024;
  private static final long STREAM_WINDOW = 8L * 1024 * 1024;

  private final VertxInternal vertx;
  private final ContextInternal context;
  private final MqttClientOptions options;
  private final ClientMetrics metrics;
  private final String serverName;
  private QuicSslContext ssl;
  private QuicTrust trust;

  QuicTransport(Vertx vertx, Context context, MqttClientOptions options, ClientMetrics metrics) {
    this.vertx = (VertxInternal) vertx;
    this.context = (ContextInternal) context;
    this.options = options;
    this.metrics = metrics;
    this.serverName = options.getQuicServerName() != null ? options.getQuicServerName() : options.getHost();
  }

  @Override
  public Future<PacketSink> open(ClientSession session, Runnable onClose) {
    return QuicSockets.loadNative(vertx).compose(v -> connect(session, onClose));
  }

  private Future<PacketSink> connect(ClientSession session, Runnable onClose) {
    Promise<PacketSink> opened = context.promise();
    try {
      if (ssl == null) {
        ssl = sslContext();
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "cannot set up TLS for QUIC from caCertPath "
        + options.getCaCertPath() + ", certPath " + options.getCertPath() + ", keyPath " + options.getKeyPath()
        + ": " + e.getMessage(), e));
    }
    vertx.nameResolver().resolve(options.getHost())
      .compose(address -> bindUdp().map(udp -> {
        new Connecting(udp, session, onClose, opened).start(new InetSocketAddress(address, options.getPort()));
        return udp;
      }))
      .onFailure(e -> opened.tryFail(new QuicException(QuicException.Failure.UNREACHABLE, "cannot reach "
        + where() + ": " + e.getMessage(), e)));
    return opened.future();
  }

  private Future<Channel> bindUdp() {
    Promise<Channel> bound = context.promise();
    ChannelHandler codec = new QuicClientCodecBuilder()
      .sslEngineProvider(quic -> ssl.newEngine(quic.alloc(), serverName, options.getPort()))
      .maxIdleTimeout(options.getQuicIdleTimeoutMillis(), TimeUnit.MILLISECONDS)
      .initialMaxData(CONNECTION_WINDOW)
      .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
      .build();
    new Bootstrap()
      .group(context.nettyEventLoop())
      .channelFactory(() -> vertx.transport().datagramChannel())
      .handler(codec)
      .bind(0)
      .addListener(f -> {
        if (f.isSuccess()) {
          bound.complete(((ChannelFuture) f).channel());
        } else {
          bound.fail(f.cause());
        }
      });
    return bound.future();
  }

  private QuicSslContext sslContext() throws IOException, GeneralSecurityException {
    QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
      .applicationProtocols(QuicSockets.ALPN)
      .earlyData(options.isQuicZeroRtt());
    if (options.isTrustAll()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else {
      trust = new QuicTrust(roots(options.getCaCertPath()), options.isVerifyHost() ? serverName : null);
      builder.trustManager(trust);
    }
    if (options.getCertPath() != null && options.getKeyPath() != null) {
      builder.keyManager(new File(options.getKeyPath()), null, new File(options.getCertPath()));
    }
    return builder.build();
  }

  /** The CAs of a PEM file, or the JVM's trust store when {@code caCertPath} is null. */
  private static X509TrustManager roots(String caCertPath) throws IOException, GeneralSecurityException {
    KeyStore store = null;
    if (caCertPath != null) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = new FileInputStream(caCertPath)) {
        int i = 0;
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + i++, ca);
        }
      }
      if (store.size() == 0) {
        throw new GeneralSecurityException("no certificate in " + caCertPath);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager) {
        return (X509TrustManager) manager;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private String where() {
    return "quic://" + options.getHost() + ":" + options.getPort();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * One connection attempt: connects the QUIC connection, opens the MQTT stream as soon as data may be
   * sent (early data ready, or the handshake done) and reports why an attempt failed.
   */
  private final class Connecting extends ChannelInboundHandlerAdapter {
    private final Channel udp;
    private final ClientSession session;
    private final Runnable onClose;
    private final Promise<PacketSink> opened;
    private boolean streamRequested;
    private Throwable failure;
    private QuicConnectionCloseEvent peerClose;

    Connecting(Channel udp, ClientSession session, Runnable onClose, Promise<PacketSink> opened) {
      this.udp = udp;
      this.session = session;
      this.onClose = onClose;
      this.opened = opened;
    }

    void start(InetSocketAddress remote) {
      QuicChannel.newBootstrap(udp)
        .handler(this)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.getConnectTimeoutMillis()))
        .remoteAddress(remote)
        .connect()
        .addListener(f -> {
          if (f.isSuccess()) {
            openStream((QuicChannel) f.getNow());
          } else {
            fail(f.cause());
            udp.close(); // a connect that failed before its channel was registered never reaches channelInactive
          }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslEarlyDataReadyEvent && options.isQuicZeroRtt()) {
        metrics.quicEarlyData.increment();
        openStream((QuicChannel) ctx.channel());
      } else if (evt instanceof QuicConnectionCloseEvent) {
        peerClose = (QuicConnectionCloseEvent) evt;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = cause;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      udp.close();
      fail(failure != null ? failure : new ClosedChannelException());
      ctx.fireChannelInactive();
    }

    private void openStream(QuicChannel quic) {
      if (streamRequested) {
        return;
      }
      streamRequested = true;
      quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
          stream.pipeline().addLast("closeReport", new CloseReport());
          PacketSink sink = NetTransport.attach(MqttSockets.installClient(QuicSockets.wrap(context, stream),
            options.getMaximumPacketSize()), session, () -> {
              quic.close();
              onClose.run();
            });
          opened.tryComplete(sink);
        }
      }).addListener(f -> {
        if (!f.isSuccess()) {
          fail(f.cause());
          quic.close();
        }
      });
    }

    private void fail(Throwable cause) {
      if (!opened.future().isComplete()) {
        opened.tryFail(QuicFailures.classify(cause, trust == null ? null : trust.takeRefusal(), where()));
      }
    }

    /**
     * Tells the session why its stream ended, before the close reaches it: the QUIC connection timed
     * out, or the broker closed it with an error (a TLS alert: it refused our certificate).
     */
    private final class CloseReport extends ChannelInboundHandlerAdapter {
      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (((QuicChannel) ctx.channel().parent()).isTimedOut()) {
          session.transportFailed(new QuicException(QuicException.Failure.IDLE_TIMEOUT, "no packet either way within "
            + "the QUIC idle timeout (quicIdleTimeoutMillis " + options.getQuicIdleTimeoutMillis()
            + ", or the broker's if smaller)", null));
        } else if (peerClose != null && (peerClose.isTlsError() || peerClose.error() != 0)) {
          session.transportFailed(QuicFailures.closedByPeer(peerClose, where(), null));
        }
        ctx.fireChannelInactive();
      }
    }
  }
}
