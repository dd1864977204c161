package io.flowsdk.mqtt.broker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC peer made of Netty's codec alone, on an event loop of its own, for what our client and broker
 * never do themselves: offer another ALPN, or send bytes that are not MQTT.
 */
final class RawQuic implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** Connects to {@code port} on 127.0.0.1 offering {@code alpn}; trusts any certificate. */
  QuicChannel connect(int port, String alpn) throws Exception {
    QuicSslContext ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
      .applicationProtocols(alpn).build();
    ChannelHandler codec = new QuicClientCodecBuilder().sslContext(ssl).maxIdleTimeout(10, TimeUnit.SECONDS)
      .initialMaxData(1 << 20).initialMaxStreamDataBidirectionalLocal(1 << 20).build();
    Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(0).sync().channel();
    return QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter())
      .remoteAddress(new InetSocketAddress("127.0.0.1", port)).connect().get(10, TimeUnit.SECONDS);
  }

  /** Opens a stream on {@code quic} and writes {@code bytes} on it. */
  static QuicStreamChannel send(QuicChannel quic, byte[] bytes) throws Exception {
    QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter())
      .get(10, TimeUnit.SECONDS);
    stream.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
    return stream;
  }

  /** A QUIC server on a free port that accepts only {@code alpn} and answers nothing; returns its port. */
  int server(String alpn, File cert, File key) throws Exception {
    QuicSslContext ssl = QuicSslContextBuilder.forServer(key, null, cert).applicationProtocols(alpn).build();
    ChannelHandler codec = new QuicServerCodecBuilder().sslContext(ssl).maxIdleTimeout(10, TimeUnit.SECONDS)
      .initialMaxData(1 << 20).initialMaxStreamDataBidirectionalRemote(1 << 20).initialMaxStreamsBidirectional(1)
      .handler(new Quiet()).streamHandler(new ChannelInboundHandlerAdapter()).build();
    Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
      .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return ((InetSocketAddress) udp.localAddress()).getPort();
  }

  /** Keeps a refused handshake, which this server expects, out of the log. */
  @ChannelHandler.Sharable
  private static final class Quiet extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
